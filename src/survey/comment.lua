-- Keep one comment per surveyed ticket: a repeated "send" or a second process adds nothing.
-- KEYS: 1 ticket 2 skm(service,day) 3 comments(service,day)
-- ARGV: 1 text 2 keep (list length) 3 ttlSec
if redis.call('HGET', KEYS[1], 'surveyed') ~= '1' then return 0 end
if redis.call('HSETNX', KEYS[1], 'surveyComment', '1') == 0 then return 0 end
redis.call('LPUSH', KEYS[3], ARGV[1])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[2]) - 1)
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('HINCRBY', KEYS[2], 'comments', 1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
