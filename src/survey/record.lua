-- Count one complete SKM response, once per ticket: mark the ticket surveyed and add the scores
-- to the service's day totals in one step, so a duplicate push or a second process adds nothing.
-- KEYS: 1 ticket 2 skm(service,day)
-- ARGV: 1 scores, one digit 1-4 per element ("344343432") 2 ttlSec
local t = redis.call('HMGET', KEYS[1], 'status', 'surveyed')
if not t[1] then return 'unknown_ticket' end
if t[1] ~= 'done' then return 'not_done' end
if t[2] == '1' then return 'already' end
redis.call('HSET', KEYS[1], 'surveyed', '1')
for i = 1, #ARGV[1] do
  redis.call('HINCRBY', KEYS[2], 'u' .. i .. '_sum', tonumber(string.sub(ARGV[1], i, i)))
  redis.call('HINCRBY', KEYS[2], 'u' .. i .. '_n', 1)
end
redis.call('HINCRBY', KEYS[2], 'responses', 1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 'ok'
