-- Move a complaint to a new status if the move is allowed from where it is now, record who and
-- when, and count the first response and the resolution in the figures of its creation day.
-- KEYS: 1 record 2 history 3 open 4 contact
-- ARGV: 1 status 2 allowedFrom (comma-separated) 3 officer 4 nowMs 5 entry(json) 6 statsPrefix
--       7 recordTtlSec 8 contactAfterDoneSec 9 forwardedTo ('' none) 10 reference 11 statsTtlSec
local c = redis.call('HMGET', KEYS[1], 'status', 'createdAt', 'firstResponseAt', 'day', 'agencyId', 'followUpAt')
if not c[1] then return {'unknown_complaint'} end
if not string.find(',' .. ARGV[2] .. ',', ',' .. c[1] .. ',', 1, true) then return {'illegal_transition', c[1]} end
local now, to = tonumber(ARGV[4]), ARGV[1]
local stats = ARGV[6] .. c[4]
local agency = (c[5] and c[5] ~= '') and c[5] or '-'
redis.call('HSET', KEYS[1], 'status', to, 'updatedAt', ARGV[4])
if not c[3] then
  local ms = now - tonumber(c[2])
  redis.call('HSET', KEYS[1], 'firstResponseAt', ARGV[4])
  redis.call('HINCRBY', stats, 'first_n', 1)
  redis.call('HINCRBY', stats, 'first_ms', ms)
  redis.call('HINCRBY', stats, 'first_n:agency:' .. agency, 1)
  redis.call('HINCRBY', stats, 'first_ms:agency:' .. agency, ms)
end
if to == 'diteruskan' then redis.call('HSET', KEYS[1], 'forwardedTo', ARGV[9]) end
if to == 'selesai' then
  local ms = now - tonumber(c[2])
  redis.call('HSET', KEYS[1], 'resolvedAt', ARGV[4])
  if not c[6] then redis.call('HSET', KEYS[1], 'followUpAt', ARGV[4]) end
  redis.call('HINCRBY', stats, 'resolved_n', 1)
  redis.call('HINCRBY', stats, 'resolved_ms', ms)
  redis.call('HINCRBY', stats, 'resolved_n:agency:' .. agency, 1)
  redis.call('HINCRBY', stats, 'resolved_ms:agency:' .. agency, ms)
  redis.call('ZREM', KEYS[3], ARGV[10])
  -- The citizen is told it is done; the address is kept a little longer for "status aduan" replies.
  local ttl = redis.call('TTL', KEYS[4])
  if ttl < 0 or ttl > tonumber(ARGV[8]) then redis.call('EXPIRE', KEYS[4], ARGV[8]) end
end
redis.call('EXPIRE', stats, ARGV[11])
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[7])
return {'ok', c[1]}
