-- Records an application once (a ticket finished twice, or by two processes, makes one record).
-- KEYS: record, reference index, citizen set, all-by-time, number index; ARGV: id, ttlMs (relative: the domain clock may differ from Redis's), createdAt, hasCitizen, field/value pairs...
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
if ARGV[4] == '1' then
  redis.call('SADD', KEYS[3], ARGV[1])
  -- Each newer record expires later: the set lives as long as its newest member.
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
end
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
redis.call('PEXPIRE', KEYS[5], ARGV[2])
return 1
