-- A citizen's message while the desk holds them: logged (masked), their WhatsApp window reopens,
-- and officer replies held for that window are handed back for delivery, exactly once.
-- KEYS: 1 held(subject) 2 conv 3 msgs 4 claimed 5 queued 6 delivery 7 events
-- ARGV: 1 id 2 entry(json) 3 nowMs 4 keep 5 ttlSec 6 eventsMaxLen
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'not_held'} end
local c = redis.call('HMGET', KEYS[2], 'state', 'channel', 'to')
if c[1] ~= 'waiting' and c[1] ~= 'claimed' then return {'not_held'} end
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
redis.call('EXPIRE', KEYS[3], ARGV[5])
redis.call('HSET', KEYS[2], 'lastInboundAt', ARGV[3], 'lastActivityAt', ARGV[3])
redis.call('HDEL', KEYS[2], 'templateAsked')
redis.call('EXPIRE', KEYS[2], ARGV[5])
if c[1] == 'claimed' then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1]) end
local released = redis.call('LRANGE', KEYS[5], 0, -1)
redis.call('DEL', KEYS[5])
for _, entry in ipairs(released) do
  redis.call('HSET', KEYS[6], cjson.decode(entry).id, 'pending')
end
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[6], '*', 'type', 'citizen', 'conversation', ARGV[1], 'state', c[1], 'officer', '', 'detail', '', 'at', ARGV[3])
return {'ok', c[2], c[3] or '', unpack(released)}
