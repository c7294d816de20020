-- An officer's reply: claims a waiting conversation, refuses one someone else holds, logs the
-- masked text, records the first response, and decides delivery: now, or held for a template
-- when the channel's free-text window (WhatsApp Cloud: 24 h) has closed.
-- KEYS: 1 conv 2 waiting 3 claimed 4 msgs 5 delivery 6 queued 7 frtRecent 8 events
-- ARGV: 1 officer 2 msgId 3 entry(json, masked) 4 queuedEntry(json, unmasked) 5 nowMs 6 windowMs (0: none)
--       7 keep 8 ttlSec 9 statsTtlSec 10 recentKeep 11 dayKeep 12 statsKeyPrefix 13 frtKeyPrefix 14 id
--       15 eventsMaxLen
local c = redis.call('HMGET', KEYS[1], 'state', 'officer', 'visibleAt', 'lastInboundAt', 'firstResponseAt', 'day', 'channel', 'to')
if not c[1] then return {'unknown_conversation'} end
if c[1] ~= 'waiting' and c[1] ~= 'claimed' then return {'conversation_ended', c[1]} end
local now = tonumber(ARGV[5])
local claimedNow = '0'
if c[1] == 'claimed' and c[2] ~= ARGV[1] then return {'claimed_by_other', c[2]} end
if c[1] == 'waiting' then
  redis.call('HSET', KEYS[1], 'state', 'claimed', 'officer', ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[14])
  claimedNow = '1'
end
redis.call('RPUSH', KEYS[4], ARGV[3])
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[7]), -1)
if not c[5] then
  local frt = math.max(0, now - tonumber(c[3]))
  redis.call('HSET', KEYS[1], 'firstResponseAt', ARGV[5])
  local stats, day = ARGV[12] .. c[6], ARGV[13] .. c[6]
  redis.call('HINCRBY', stats, 'first_responses', 1)
  redis.call('HINCRBY', stats, 'first_response_ms', frt)
  redis.call('EXPIRE', stats, ARGV[9])
  redis.call('RPUSH', day, frt)
  redis.call('LTRIM', day, -tonumber(ARGV[11]), -1)
  redis.call('EXPIRE', day, ARGV[9])
  redis.call('LPUSH', KEYS[7], frt)
  redis.call('LTRIM', KEYS[7], 0, tonumber(ARGV[10]) - 1)
  redis.call('EXPIRE', KEYS[7], ARGV[9])
end
local outcome, template = 'deliver', '0'
if tonumber(ARGV[6]) > 0 and now - tonumber(c[4]) >= tonumber(ARGV[6]) then
  outcome = 'queued_for_template'
  redis.call('HSET', KEYS[5], ARGV[2], 'queued_for_template')
  redis.call('RPUSH', KEYS[6], ARGV[4])
  redis.call('EXPIRE', KEYS[6], ARGV[8])
  -- One template per closed window: the citizen needs one nudge, not one per reply.
  template = tostring(redis.call('HSETNX', KEYS[1], 'templateAsked', '1'))
else
  redis.call('HSET', KEYS[5], ARGV[2], 'pending')
end
redis.call('HSET', KEYS[1], 'lastActivityAt', ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[14])
redis.call('EXPIRE', KEYS[1], ARGV[8])
redis.call('EXPIRE', KEYS[4], ARGV[8])
redis.call('EXPIRE', KEYS[5], ARGV[8])
redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[15], '*', 'type', 'replied', 'conversation', ARGV[14], 'state', 'claimed', 'officer', ARGV[1], 'detail', outcome, 'at', ARGV[5])
return {outcome, claimedNow, template, c[7], c[8] or ''}
