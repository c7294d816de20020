-- Open a hand-over for a citizen, once: a second request while one is active returns that one,
-- so two webhooks or a double tap never make two conversations (nor two officers answering).
-- KEYS: 1 held(subject) 2 conv 3 msgs 4 waiting 5 citizen(subject) 6 stats(day) 7 events
-- ARGV: 1 id 2 subject 3 channel 4 to 5 locale 6 nowMs 7 visibleAtMs 8 context(json) 9 entry(json or '')
--       10 keep 11 ttlSec 12 statsTtlSec 13 hour 14 day 15 convKeyPrefix 16 eventsMaxLen
local current = redis.call('GET', KEYS[1])
if current then
  local state = redis.call('HGET', ARGV[15] .. current, 'state')
  if state == 'waiting' or state == 'claimed' then return {'existing', current} end
end
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'state', 'waiting', 'subject', ARGV[2], 'channel', ARGV[3], 'to', ARGV[4],
  'locale', ARGV[5], 'openedAt', ARGV[6], 'visibleAt', ARGV[7], 'lastInboundAt', ARGV[6], 'lastActivityAt', ARGV[6],
  'context', ARGV[8], 'day', ARGV[14])
redis.call('EXPIRE', KEYS[2], ARGV[11])
if ARGV[9] ~= '' then
  redis.call('RPUSH', KEYS[3], ARGV[9])
  redis.call('LTRIM', KEYS[3], -tonumber(ARGV[10]), -1)
  redis.call('EXPIRE', KEYS[3], ARGV[11])
end
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[11])
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('EXPIRE', KEYS[5], ARGV[11])
redis.call('HINCRBY', KEYS[6], 'opened', 1)
redis.call('HINCRBY', KEYS[6], 'hour:' .. ARGV[13], 1)
redis.call('EXPIRE', KEYS[6], ARGV[12])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[16], '*', 'type', 'opened', 'conversation', ARGV[1], 'state', 'waiting', 'officer', '', 'detail', '', 'at', ARGV[6])
return {'opened', ARGV[1]}
