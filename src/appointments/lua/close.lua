-- End an active booking: 'cancelled' gives its place back; 'checked-in' keeps the place (it was
-- used) and records the ticket. Either way the citizen may book this service again.
-- KEYS: 1 booking 2 taken(service,day) 3 citizen(subject) 4 day(service,day)
-- ARGV: 1 expectedVersion 2 newStatus 3 nowMs 4 ticketId
local b = redis.call('HMGET', KEYS[1], 'status', 'id', 'version', 'serviceId', 'slot')
if not b[1] then return {'unknown_booking'} end
if b[1] ~= 'active' then return {'illegal_transition', b[1]} end
if b[3] ~= ARGV[1] then return {'conflict', b[3]} end
if ARGV[2] == 'cancelled' then
  if tonumber(redis.call('HGET', KEYS[2], b[5]) or '0') > 0 then redis.call('HINCRBY', KEYS[2], b[5], -1) end
  redis.call('ZREM', KEYS[4], b[2])
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'closedAt', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'status', 'checked-in', 'closedAt', ARGV[3], 'ticketId', ARGV[4])
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
if redis.call('HGET', KEYS[3], b[4]) == b[2] then redis.call('HDEL', KEYS[3], b[4]) end
return {'ok', version}
