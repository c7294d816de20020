-- Claim, transfer or release a conversation. One script, so two officers pressing "claim" at the
-- same moment are serialised by Redis: the second sees the first one's name.
-- KEYS: 1 conv 2 waiting 3 claimed 4 msgs 5 events
-- ARGV: 1 mode (claim|transfer|release) 2 officer 3 target officer (transfer) 4 nowMs 5 entry(json)
--       6 keep 7 ttlSec 8 id 9 eventsMaxLen
local c = redis.call('HMGET', KEYS[1], 'state', 'officer', 'openedAt')
if not c[1] then return {'unknown_conversation'} end
if c[1] ~= 'waiting' and c[1] ~= 'claimed' then return {'conversation_ended', c[1]} end
local mode, officer = ARGV[1], ARGV[2]
if mode == 'claim' then
  if c[1] == 'claimed' then
    if c[2] == officer then return {'ok', 'already'} end
    return {'claimed_by_other', c[2]}
  end
  redis.call('HSET', KEYS[1], 'state', 'claimed', 'officer', officer, 'lastActivityAt', ARGV[4])
  redis.call('ZREM', KEYS[2], ARGV[8])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[8])
else
  if c[1] ~= 'claimed' then return {'not_claimed'} end
  if c[2] ~= officer then return {'claimed_by_other', c[2]} end
  if mode == 'transfer' then
    redis.call('HSET', KEYS[1], 'officer', ARGV[3], 'lastActivityAt', ARGV[4])
    redis.call('ZADD', KEYS[3], ARGV[4], ARGV[8])
  else
    -- Back in the list at its original place: the citizen has waited since then.
    redis.call('HSET', KEYS[1], 'state', 'waiting')
    redis.call('HDEL', KEYS[1], 'officer')
    redis.call('ZREM', KEYS[3], ARGV[8])
    redis.call('ZADD', KEYS[2], c[3], ARGV[8])
  end
end
redis.call('RPUSH', KEYS[4], ARGV[5])
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[6]), -1)
redis.call('EXPIRE', KEYS[4], ARGV[7])
redis.call('EXPIRE', KEYS[1], ARGV[7])
local kind = {claim = 'claimed', transfer = 'transferred', release = 'released'}
local holder = redis.call('HGET', KEYS[1], 'officer') or ''
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[9], '*', 'type', kind[mode], 'conversation', ARGV[8], 'state', redis.call('HGET', KEYS[1], 'state'), 'officer', holder, 'detail', '', 'at', ARGV[4])
return {'ok', mode}
