-- Call the next ticket for a counter: the first ticket in its pool's call order (order.lua,
-- prepended) that may be called now. Skipped, and kept in its place: a visit step that is still
-- held (an earlier step of the visit is not finished), and a ticket whose citizen is at a counter
-- with another ticket (called or serving): nobody is called to two counters at once.
-- Skipped tickets stay in the order, so positions (which count them) never move backwards when
-- they become callable. When the head itself is called, the pool's priority count moves as
-- always; when skipped tickets are passed, it stays: the skipped ones replay the same order next
-- time, and nobody behind moves back (test/queue/visit.property.test.ts).
-- KEYS: 1 counter 2 events 3 pool(pool,day), then per service of the pool: wait, waitp
-- ARGV: 1 counterId 2 nowMs 3 priorityEvery 4 ticketKeyPrefix 5 eventsMaxLen 6 dayTtlSec 7 day
--       8 citizen key prefix (the citizen's day key is this + subject + ':' + day)
local current = redis.call('HGET', KEYS[1], 'ticket')
if current and current ~= '' then
  local held = redis.call('HMGET', ARGV[4] .. current, 'status', 'day')
  -- A ticket left open yesterday does not block today's counter.
  if (held[1] == 'called' or held[1] == 'serving') and held[2] == ARGV[7] then return {'counter_busy', current} end
end

-- The citizen's ticket at a counter is `_busy` in their day hash (set here, cleared by
-- transition.lua and cancel-visit.lua when it leaves the counter); checked against the ticket's
-- status, so a stale mark never blocks anyone.
local function citizenKey(subject) return ARGV[8] .. subject .. ':' .. ARGV[7] end
local function skipped(id)
  local t = redis.call('HMGET', ARGV[4] .. id, 'held', 'subject')
  if t[1] == '1' then return true end
  if not t[2] or t[2] == '' then return false end
  local busy = redis.call('HGET', citizenKey(t[2]), '_busy')
  if not busy or busy == id then return false end
  local status = redis.call('HGET', ARGV[4] .. busy, 'status')
  return status == 'called' or status == 'serving'
end

-- The first SCAN of the order are exact from the first SCAN of each line; read all only when
-- that many in a row are skipped.
local SCAN = 16
local since = tonumber(redis.call('HGET', KEYS[3], 'regularSince') or '0')
local every = tonumber(ARGV[3])
local lines, order, pick
for _, count in ipairs({SCAN, -1}) do
  lines = readLines(4, count)
  order = callOrder(lines, since, every, count < 0 and math.huge or count)
  for k = 1, #order do
    if not skipped(order[k].id) then
      pick = k
      break
    end
  end
  if pick or #order < SCAN then break end
end
if not pick then return {'empty'} end
local chosen, line = order[pick].id, lines[order[pick].line]
if pick == 1 then
  redis.call('HSET', KEYS[3], 'regularSince', line.priority and 0 or since + 1)
  redis.call('EXPIRE', KEYS[3], ARGV[6])
end
redis.call('ZREM', line.key, chosen)
local ticketKey = ARGV[4] .. chosen
redis.call('HSET', ticketKey, 'status', 'called', 'counter', ARGV[1], 'calledAt', ARGV[2])
-- Each call is its own notice (a transferred ticket is called again): notices count calls.
redis.call('HINCRBY', ticketKey, 'calls', 1)
redis.call('HSET', KEYS[1], 'ticket', chosen)
redis.call('EXPIRE', KEYS[1], ARGV[6])
local t = redis.call('HMGET', ticketKey, 'number', 'serviceId', 'subject')
if t[3] and t[3] ~= '' then
  redis.call('HSET', citizenKey(t[3]), '_busy', chosen)
  redis.call('EXPIRE', citizenKey(t[3]), ARGV[6])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'type', 'called', 'ticket', chosen, 'number', t[1],
  'service', t[2], 'status', 'called', 'counter', ARGV[1], 'at', ARGV[2])
return {'called', chosen}
