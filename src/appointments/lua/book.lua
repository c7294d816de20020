-- Book a place atomically: one active booking per citizen per service, a unique code, and no
-- more bookings in a slot than its capacity, however many citizens press "confirm" at once.
-- KEYS: 1 taken(service,day) 2 citizen(subject) 3 booking(new) 4 day(service,day) 5 code
--       6 all(subject): every booking of the citizen, for erasure on request
-- ARGV: 1 id 2 serviceId 3 day 4 slot 5 capacity 6 subject 7 channel 8 to 9 code 10 nowMs
--       11 bookingTtlSec 12 dayTtlSec 13 bookingKeyPrefix 14 today 15 slotMinutes
local existing = redis.call('HGET', KEYS[2], ARGV[2])
if existing then
  local b = redis.call('HMGET', ARGV[13] .. existing, 'status', 'day')
  -- A booking whose day has passed unused no longer holds the citizen back.
  if b[1] == 'active' and b[2] and b[2] >= ARGV[14] then return {'existing', existing} end
end
if redis.call('EXISTS', KEYS[5]) == 1 then return {'code_taken'} end
local taken = tonumber(redis.call('HGET', KEYS[1], ARGV[4]) or '0')
if taken >= tonumber(ARGV[5]) then return {'slot_full', taken} end

redis.call('HINCRBY', KEYS[1], ARGV[4], 1)
redis.call('EXPIRE', KEYS[1], ARGV[12])
redis.call('HSET', KEYS[3],
  'id', ARGV[1], 'code', ARGV[9], 'serviceId', ARGV[2], 'day', ARGV[3], 'slot', ARGV[4], 'status', 'active',
  'version', 1, 'subject', ARGV[6], 'channel', ARGV[7], 'to', ARGV[8], 'createdAt', ARGV[10])
redis.call('EXPIRE', KEYS[3], ARGV[11])
redis.call('ZADD', KEYS[4], ARGV[15], ARGV[1])
redis.call('EXPIRE', KEYS[4], ARGV[12])
redis.call('SET', KEYS[5], ARGV[1], 'EX', ARGV[11])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
-- The citizen's index lives as long as their latest booking day.
local ttl = redis.call('TTL', KEYS[2])
if ttl < tonumber(ARGV[12]) then redis.call('EXPIRE', KEYS[2], ARGV[12]) end
redis.call('SADD', KEYS[6], ARGV[1])
if redis.call('TTL', KEYS[6]) < tonumber(ARGV[11]) then redis.call('EXPIRE', KEYS[6], ARGV[11]) end
return {'new', ARGV[1]}
