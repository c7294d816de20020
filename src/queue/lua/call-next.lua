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
--       9 officer (staff username, '' when unknown: the report's per-officer totals)
-- A ticket left open yesterday does not block today's counter (busy.lua, prepended).
local current = counterBusyWith(KEYS[1], ARGV[4], ARGV[7], nil)
if current then return {'counter_busy', current} end

local function citizenKey(subject) return ARGV[8] .. subject .. ':' .. ARGV[7] end
local function skipped(id)
  local t = redis.call('HMGET', ARGV[4] .. id, 'held', 'subject')
  if t[1] == '1' then return true end
  if not t[2] or t[2] == '' then return false end
  return citizenBusyWith(citizenKey(t[2]), ARGV[4], id) ~= nil
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
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', ticketKey, 'officer', ARGV[9]) else redis.call('HDEL', ticketKey, 'officer') end
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
