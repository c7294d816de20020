-- Attach an anonymous ticket (kiosk, counter walk-in) to a citizen on a chat channel, once, so its
-- notices reach them there. Refused when the ticket is no longer active, already belongs to someone
-- else, or the citizen already holds an active ticket for the same service today.
-- KEYS: 1 ticket 2 citizen(subject,day) 3 citizenTickets(subject)
-- ARGV: 1 subject 2 channel 3 to 4 dayTtlSec 5 retentionSec 6 ticketKeyPrefix
local t = redis.call('HMGET', KEYS[1], 'id', 'status', 'subject', 'serviceId')
if not t[1] then return {'unknown_ticket'} end
if t[2] ~= 'waiting' and t[2] ~= 'called' and t[2] ~= 'serving' then return {'illegal_transition', t[2]} end
if t[3] == ARGV[1] then return {'ok', t[1]} end
if t[3] and t[3] ~= '' then return {'taken'} end
local active = redis.call('HGET', KEYS[2], t[4])
if active then
  local status = redis.call('HGET', ARGV[6] .. active, 'status')
  if status == 'waiting' or status == 'called' or status == 'serving' then return {'existing', active} end
end
redis.call('HSET', KEYS[1], 'subject', ARGV[1], 'channel', ARGV[2], 'to', ARGV[3])
redis.call('HSET', KEYS[2], t[4], t[1])
redis.call('HINCRBY', KEYS[2], '_count', 1)
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('SADD', KEYS[3], t[1])
redis.call('EXPIRE', KEYS[3], ARGV[5])
return {'ok', t[1]}
