-- Call the next ticket for a counter: the oldest waiting ticket among the services it serves,
-- with one priority ticket (lansia, disabilitas, ibu hamil, balita) after every N regular ones,
-- or at once when no regular ticket waits.
-- KEYS: 1 counter 2 events, then per service: wait, waitp
-- ARGV: 1 counterId 2 nowMs 3 priorityEvery 4 ticketKeyPrefix 5 eventsMaxLen 6 dayTtlSec 7 day
local current = redis.call('HGET', KEYS[1], 'ticket')
if current and current ~= '' then
  local held = redis.call('HMGET', ARGV[4] .. current, 'status', 'day')
  -- A ticket left open yesterday does not block today's counter.
  if (held[1] == 'called' or held[1] == 'serving') and held[2] == ARGV[7] then return {'counter_busy', current} end
end
local function oldest(offset)
  local best, bestScore, bestKey = nil, nil, nil
  for i = 3 + offset, #KEYS, 2 do
    local head = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    if head[1] and (not bestScore or tonumber(head[2]) < bestScore) then
      best, bestScore, bestKey = head[1], tonumber(head[2]), KEYS[i]
    end
  end
  return best, bestKey
end
local regular, regularKey = oldest(0)
local priority, priorityKey = oldest(1)
local since = tonumber(redis.call('HGET', KEYS[1], 'regularSince') or '0')
local chosen, fromKey
if priority and (not regular or since >= tonumber(ARGV[3])) then
  chosen, fromKey = priority, priorityKey
  redis.call('HSET', KEYS[1], 'regularSince', 0)
elseif regular then
  chosen, fromKey = regular, regularKey
  redis.call('HSET', KEYS[1], 'regularSince', since + 1)
else
  return {'empty'}
end
redis.call('ZREM', fromKey, chosen)
local ticketKey = ARGV[4] .. chosen
redis.call('HSET', ticketKey, 'status', 'called', 'counter', ARGV[1], 'calledAt', ARGV[2])
-- Each call is its own notice (a transferred ticket is called again): notices count calls.
redis.call('HINCRBY', ticketKey, 'calls', 1)
redis.call('HSET', KEYS[1], 'ticket', chosen)
redis.call('EXPIRE', KEYS[1], ARGV[6])
local t = redis.call('HMGET', ticketKey, 'number', 'serviceId')
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'type', 'called', 'ticket', chosen, 'number', t[1],
  'service', t[2], 'status', 'called', 'counter', ARGV[1], 'at', ARGV[2])
return {'called', chosen}
