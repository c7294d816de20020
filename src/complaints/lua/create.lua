-- Number and store a complaint in one step: the day's counter gives NNNN of ADU-YYYYMMDD-NNNN,
-- so two processes never issue the same reference. Record, text and contact are separate keys
-- because they expire at different times (figures stay, texts and addresses go).
-- KEYS: 1 seq(day) 2 open 3 dayIndex 4 citizen(subject) 5 stats(day)
-- ARGV: 1 compactDay 2 nowMs 3 recordPrefix 4 textPrefix 5 contactPrefix 6 recordTtlSec 7 textTtlSec
--       8 statsTtlSec 9 seqTtlSec 10 record(json, strings) 11 text(json) 12 contact(json or '')
--       13 category 14 agency ('-' when none)
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[9])
local ref = 'ADU-' .. ARGV[1] .. '-' .. string.format('%04d', n)
local function put(key, json, ttl)
  local fields = {}
  for k, v in pairs(cjson.decode(json)) do
    fields[#fields + 1] = k
    fields[#fields + 1] = v
  end
  redis.call('HSET', key, 'reference', ref, unpack(fields))
  redis.call('EXPIRE', key, ttl)
end
put(ARGV[3] .. ref, ARGV[10], ARGV[6])
put(ARGV[4] .. ref, ARGV[11], ARGV[7])
if ARGV[12] ~= '' then
  put(ARGV[5] .. ref, ARGV[12], ARGV[7])
  redis.call('SADD', KEYS[4], ref)
  redis.call('EXPIRE', KEYS[4], ARGV[7])
end
redis.call('ZADD', KEYS[2], ARGV[2], ref)
redis.call('ZADD', KEYS[3], ARGV[2], ref)
redis.call('EXPIRE', KEYS[3], ARGV[6])
redis.call('HINCRBY', KEYS[5], 'created', 1)
redis.call('HINCRBY', KEYS[5], 'category:' .. ARGV[13], 1)
redis.call('HINCRBY', KEYS[5], 'agency:' .. ARGV[14], 1)
redis.call('EXPIRE', KEYS[5], ARGV[8])
return ref
