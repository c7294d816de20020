-- Issue a ticket atomically: idempotency, no-show block, one active ticket per citizen per
-- service, daily limit per citizen, daily quota per service, then the next number of the group.
-- Lines are ordered by that number: a counter serves one agency, and an agency sits in one group.
-- KEYS: 1 seq(group,day) 2 stats(service,day) 3 wait(service,day) 4 waitp(service,day)
--       5 citizen(subject,day) 6 idem 7 ticket(new) 8 events 9 block(subject)
-- ARGV: 1 ticketId 2 serviceId 3 group 4 prefix 5 day 6 subject 7 priority 8 quota 9 maxPerDay
--       10 nowMs 11 retentionSec 12 dayTtlSec 13 checklist 14 question 15 channel 16 to
--       17 idemTtlSec 18 statsTtlSec 19 ticketKeyPrefix 20 eventsMaxLen 21 source
-- KEYS 10: all tickets of the citizen (for "hapus data saya"), kept as long as tickets are
-- KEYS 11: origin(subject): pseudonym of the address an unverified citizen last wrote from
-- ARGV: 22 unverified ('1': web chat, limited below) 23 unverifiedQuota 24 perAddress
--       25 address count key prefix (service, day); the origin pseudonym completes the key
local subject = ARGV[6]
if KEYS[6] ~= KEYS[7] then
  local previous = redis.call('GET', KEYS[6])
  if previous then return {'existing', previous} end
end
if subject ~= '' then
  if redis.call('EXISTS', KEYS[9]) == 1 then return {'blocked', redis.call('PTTL', KEYS[9])} end
  local active = redis.call('HGET', KEYS[5], ARGV[2])
  if active then
    local status = redis.call('HGET', ARGV[19] .. active, 'status')
    if status == 'waiting' or status == 'called' or status == 'serving' then return {'existing', active} end
  end
  if tonumber(redis.call('HGET', KEYS[5], '_count') or '0') >= tonumber(ARGV[9]) then return {'limit_reached', ARGV[9]} end
end
local issued = tonumber(redis.call('HGET', KEYS[2], 'issued') or '0')
if issued >= tonumber(ARGV[8]) then return {'quota_full', issued} end
-- Unverified (web chat): a share of the quota, and a cap per address. Without a recorded origin
-- every such ticket counts against one shared 'unknown' address: fail closed, not open.
local addressKey
if ARGV[22] == '1' then
  local web = tonumber(redis.call('HGET', KEYS[2], 'web') or '0')
  if web >= tonumber(ARGV[23]) then return {'web_share_full', web} end
  addressKey = ARGV[25] .. (redis.call('GET', KEYS[11]) or 'unknown')
  local fromAddress = tonumber(redis.call('GET', addressKey) or '0')
  if fromAddress >= tonumber(ARGV[24]) then return {'address_limit', fromAddress} end
end

local seq = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[12])
local number = ARGV[4] .. '-' .. string.format('%03d', seq)
redis.call('HSET', KEYS[7],
  'id', ARGV[1], 'number', number, 'seq', seq, 'serviceId', ARGV[2], 'group', ARGV[3], 'day', ARGV[5],
  'status', 'waiting', 'priority', ARGV[7], 'subject', subject, 'channel', ARGV[15], 'to', ARGV[16],
  'checklist', ARGV[13], 'question', ARGV[14], 'createdAt', ARGV[10], 'recalls', 0, 'counter', '', 'source', ARGV[21])
redis.call('EXPIRE', KEYS[7], ARGV[11])
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[4], seq, ARGV[1])
  redis.call('EXPIRE', KEYS[4], ARGV[12])
else
  redis.call('ZADD', KEYS[3], seq, ARGV[1])
  redis.call('EXPIRE', KEYS[3], ARGV[12])
end
redis.call('HINCRBY', KEYS[2], 'issued', 1)
if ARGV[7] == '1' then redis.call('HINCRBY', KEYS[2], 'priority', 1) end
-- Report detail (day-detail.ts reads it): arrivals by UTC hour of day, and by channel:source.
redis.call('HINCRBY', KEYS[2], 'ah:' .. (math.floor(tonumber(ARGV[10]) / 3600000) % 24), 1)
redis.call('HINCRBY', KEYS[2], 'in:' .. ARGV[15] .. ':' .. ARGV[21], 1)
redis.call('EXPIRE', KEYS[2], ARGV[18])
if addressKey then
  redis.call('HINCRBY', KEYS[2], 'web', 1)
  redis.call('INCR', addressKey)
  redis.call('EXPIRE', addressKey, ARGV[12])
end
if subject ~= '' then
  redis.call('HSET', KEYS[5], ARGV[2], ARGV[1])
  redis.call('HINCRBY', KEYS[5], '_count', 1)
  redis.call('EXPIRE', KEYS[5], ARGV[12])
  redis.call('SADD', KEYS[10], ARGV[1])
  redis.call('EXPIRE', KEYS[10], ARGV[11])
end
if KEYS[6] ~= KEYS[7] then redis.call('SET', KEYS[6], ARGV[1], 'EX', ARGV[17]) end
redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[20], '*', 'type', 'issued', 'ticket', ARGV[1], 'number', number,
  'service', ARGV[2], 'status', 'waiting', 'counter', '', 'at', ARGV[10])
return {'new', ARGV[1]}
