-- Cancel what is left of a visit at once: every step still waiting (held or not) or called.
-- A step being served stays (the citizen is at the counter); finished steps stay as they are.
-- The caller read the steps and passes their keys and the statuses it saw: if one changed since,
-- nothing is cancelled ('conflict': read again). Each cancel does what transition.lua's does.
-- KEYS: 1 visit 2 events 3 citizen(subject,day), then per step (5 each): ticket wait waitp stats counter
-- ARGV: 1 nowMs 2 eventsMaxLen 3 statsTtlSec 4 steps, then per step: the status the caller saw
local n = tonumber(ARGV[4])
local function key(i, j) return KEYS[3 + (i - 1) * 5 + j] end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown_visit'} end
for i = 1, n do
  local status = redis.call('HGET', key(i, 1), 'status') or 'gone'
  if status ~= ARGV[4 + i] then return {'conflict', status} end
end
local cancelled, kept = 0, 0
for i = 1, n do
  local ticket = key(i, 1)
  local t = redis.call('HMGET', ticket, 'status', 'id', 'number', 'serviceId', 'counter', 'visitStep')
  if t[1] == 'waiting' or t[1] == 'called' then
    redis.call('ZREM', key(i, 2), t[2])
    redis.call('ZREM', key(i, 3), t[2])
    redis.call('HINCRBY', key(i, 4), 'cancelled', 1)
    redis.call('EXPIRE', key(i, 4), ARGV[3])
    redis.call('HSET', ticket, 'status', 'cancelled', 'closedAt', ARGV[1], 'held', '0')
    if t[5] and t[5] ~= '' and redis.call('HGET', key(i, 5), 'ticket') == t[2] then redis.call('HDEL', key(i, 5), 'ticket') end
    if redis.call('HGET', KEYS[3], t[4]) == t[2] then redis.call('HDEL', KEYS[3], t[4]) end
    if redis.call('HGET', KEYS[3], '_busy') == t[2] then redis.call('HDEL', KEYS[3], '_busy') end
    redis.call('HSET', KEYS[1], 'o' .. t[6], 'cancelled@' .. ARGV[1])
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', 'cancelled', 'ticket', t[2], 'number', t[3],
      'service', t[4], 'status', 'cancelled', 'counter', t[5] or '', 'at', ARGV[1])
    cancelled = cancelled + 1
  elseif t[1] == 'serving' then
    kept = kept + 1
  end
end
return {'ok', cancelled, kept}
