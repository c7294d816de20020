-- Call the next ticket for a counter: the head of its pool's call order (order.lua, prepended).
-- KEYS: 1 counter 2 events 3 pool(pool,day), then per service of the pool: wait, waitp
-- ARGV: 1 counterId 2 nowMs 3 priorityEvery 4 ticketKeyPrefix 5 eventsMaxLen 6 dayTtlSec 7 day
--       8 officer (staff username, '' when unknown: the report's per-officer totals)
local current = redis.call('HGET', KEYS[1], 'ticket')
if current and current ~= '' then
  local held = redis.call('HMGET', ARGV[4] .. current, 'status', 'day')
  -- A ticket left open yesterday does not block today's counter.
  if (held[1] == 'called' or held[1] == 'serving') and held[2] == ARGV[7] then return {'counter_busy', current} end
end
local lines = readLines(4, 1)
local since = tonumber(redis.call('HGET', KEYS[3], 'regularSince') or '0')
local order = callOrder(lines, since, tonumber(ARGV[3]), 1)
if #order == 0 then return {'empty'} end
local chosen, line = order[1].id, lines[order[1].line]
redis.call('HSET', KEYS[3], 'regularSince', line.priority and 0 or since + 1)
redis.call('EXPIRE', KEYS[3], ARGV[6])
redis.call('ZREM', line.key, chosen)
local ticketKey = ARGV[4] .. chosen
redis.call('HSET', ticketKey, 'status', 'called', 'counter', ARGV[1], 'calledAt', ARGV[2])
-- Each call is its own notice (a transferred ticket is called again): notices count calls.
redis.call('HINCRBY', ticketKey, 'calls', 1)
if ARGV[8] and ARGV[8] ~= '' then redis.call('HSET', ticketKey, 'officer', ARGV[8]) else redis.call('HDEL', ticketKey, 'officer') end
redis.call('HSET', KEYS[1], 'ticket', chosen)
redis.call('EXPIRE', KEYS[1], ARGV[6])
local t = redis.call('HMGET', ticketKey, 'number', 'serviceId')
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'type', 'called', 'ticket', chosen, 'number', t[1],
  'service', t[2], 'status', 'called', 'counter', ARGV[1], 'at', ARGV[2])
return {'called', chosen}
