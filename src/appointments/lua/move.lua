-- Move an active booking to another day or slot of the same service: the new place is taken and
-- the old one given back in one step, so a full slot never accepts one more and no place leaks.
-- KEYS: 1 booking 2 taken(old day) 3 taken(new day) 4 day(old) 5 day(new) 6 code 7 citizen
-- ARGV: 1 expectedVersion 2 newDay 3 newSlot 4 capacity 5 slotMinutes 6 bookingTtlSec 7 dayTtlSec 8 nowMs
local b = redis.call('HMGET', KEYS[1], 'status', 'id', 'version', 'day', 'slot')
if not b[1] then return {'unknown_booking'} end
if b[1] ~= 'active' then return {'illegal_transition', b[1]} end
if b[3] ~= ARGV[1] then return {'conflict', b[3]} end
if b[4] == ARGV[2] and b[5] == ARGV[3] then return {'ok', b[3]} end
local taken = tonumber(redis.call('HGET', KEYS[3], ARGV[3]) or '0')
if taken >= tonumber(ARGV[4]) then return {'slot_full', taken} end

redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
redis.call('EXPIRE', KEYS[3], ARGV[7])
if tonumber(redis.call('HGET', KEYS[2], b[5]) or '0') > 0 then redis.call('HINCRBY', KEYS[2], b[5], -1) end
redis.call('ZREM', KEYS[4], b[2])
redis.call('ZADD', KEYS[5], ARGV[5], b[2])
redis.call('EXPIRE', KEYS[5], ARGV[7])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'day', ARGV[2], 'slot', ARGV[3], 'changedAt', ARGV[8])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[6], ARGV[6])
if redis.call('TTL', KEYS[7]) < tonumber(ARGV[7]) then redis.call('EXPIRE', KEYS[7], ARGV[7]) end
return {'ok', version}
