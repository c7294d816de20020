-- End a hand-over: `returned` to the assistant or `closed` as resolved by the desk. The citizen's
-- address is deleted here (kept only while someone may reply) and given back once so the caller
-- can tell them. A sweep passes a cutoff: a conversation that moved since it was read stays.
-- KEYS: 1 conv 2 held(subject) 3 waiting 4 claimed 5 msgs 6 queued 7 delivery 8 events
-- ARGV: 1 outcome (returned|closed) 2 reason 3 by (officer or '') 4 nowMs 5 entry(json) 6 keep 7 ttlSec
--       8 statsTtlSec 9 cutoffMs (0: none) 10 id 11 requiredState ('' any) 12 statsKeyPrefix 13 eventsMaxLen
local c = redis.call('HMGET', KEYS[1], 'state', 'officer', 'lastActivityAt', 'channel', 'to', 'locale', 'day')
if not c[1] then return {'unknown_conversation'} end
if c[1] ~= 'waiting' and c[1] ~= 'claimed' then return {'conversation_ended', c[1]} end
if ARGV[11] ~= '' and c[1] ~= ARGV[11] then return {'moved'} end
if tonumber(ARGV[9]) > 0 and tonumber(c[3]) > tonumber(ARGV[9]) then return {'moved'} end
if ARGV[3] ~= '' and c[1] == 'claimed' and c[2] ~= ARGV[3] then return {'claimed_by_other', c[2]} end
if ARGV[1] == 'closed' and c[1] ~= 'claimed' then return {'not_claimed'} end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'endedAt', ARGV[4], 'lastActivityAt', ARGV[4])
if ARGV[1] == 'returned' then redis.call('HSET', KEYS[1], 'returnReason', ARGV[2]) end
redis.call('HDEL', KEYS[1], 'to', 'templateAsked')
redis.call('EXPIRE', KEYS[1], ARGV[7])
if redis.call('GET', KEYS[2]) == ARGV[10] then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[3], ARGV[10])
redis.call('ZREM', KEYS[4], ARGV[10])
for _, entry in ipairs(redis.call('LRANGE', KEYS[6], 0, -1)) do
  redis.call('HSET', KEYS[7], cjson.decode(entry).id, 'dropped')
end
redis.call('DEL', KEYS[6])
redis.call('RPUSH', KEYS[5], ARGV[5])
redis.call('LTRIM', KEYS[5], -tonumber(ARGV[6]), -1)
redis.call('EXPIRE', KEYS[5], ARGV[7])
local stats = ARGV[12] .. c[7]
redis.call('HINCRBY', stats, ARGV[1] == 'closed' and 'closed' or ('returned:' .. ARGV[2]), 1)
redis.call('EXPIRE', stats, ARGV[8])
redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[13], '*', 'type', ARGV[1], 'conversation', ARGV[10], 'state', ARGV[1], 'officer', ARGV[3], 'detail', ARGV[2], 'at', ARGV[4])
return {'ok', c[4], c[5] or '', c[6]}
