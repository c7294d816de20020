-- Take a visit (issue 13): one ticket per service, in the plan's order, for one citizen, all or
-- nothing. Every check of take.lua runs for every step before anything is written: a full quota,
-- a no-show block, the daily limit (each step counts) or an open ticket for one of the services
-- refuses the whole visit and names the service.
-- Fairness: every step gets its number and its score NOW, so a later step keeps the place a ticket
-- taken at this moment would have, and is counted in everybody's position from the start (its
-- release later never moves anyone back). Steps after the first are `held`: the calling policy
-- (call-next.lua) skips them until every earlier step is finished (transition.lua releases).
-- KEYS: 1 citizen(subject,day) 2 idem (or the visit key: no idempotency key) 3 visit 4 events
--       5 block(subject) 6 citizenTickets(subject) 7 origin(subject) 8 visits of the day (the report's index),
--       then per step (5 each): seq(group,day) stats(service,day) wait(service,day) waitp(service,day) ticket(new)
-- ARGV: 1 visitId 2 day 3 subject 4 channel 5 to 6 priority 7 maxPerDay 8 nowMs 9 retentionSec
--       10 dayTtlSec 11 idemTtlSec 12 statsTtlSec 13 ticketKeyPrefix 14 eventsMaxLen 15 source
--       16 unverified ('1') 17 perAddress 18 steps 19 the services in order 20 visitKeyPrefix
--       21 the services sorted (the same errand asked in another order is the same visit)
--       then per step (8 each): ticketId serviceId group groupPrefix quota unverifiedQuota addressCountPrefix checklist
local STEP_KEYS, STEP_ARGS, FIXED_KEYS, FIXED_ARGS = 5, 8, 8, 21
local subject, n, now = ARGV[3], tonumber(ARGV[18]), ARGV[8]
local function active(status) return status == 'waiting' or status == 'called' or status == 'serving' end
local function stepKey(i, j) return KEYS[FIXED_KEYS + (i - 1) * STEP_KEYS + j] end
local function stepArg(i, j) return ARGV[FIXED_ARGS + (i - 1) * STEP_ARGS + j] end

if KEYS[2] ~= KEYS[3] then
  local previous = redis.call('GET', KEYS[2])
  if previous then return {'existing', previous} end
end
local sigField = '_v:' .. ARGV[21]
if subject ~= '' then
  -- The same citizen asking again for the same services today gets the visit they hold.
  local held = redis.call('HGET', KEYS[1], sigField)
  if held then
    local list = redis.call('HGET', ARGV[20] .. held, 'tickets')
    for tid in string.gmatch(list or '', '[^,]+') do
      if active(redis.call('HGET', ARGV[13] .. tid, 'status')) then return {'existing', held} end
    end
  end
  if redis.call('EXISTS', KEYS[5]) == 1 then return {'blocked', redis.call('PTTL', KEYS[5])} end
  for i = 1, n do
    local open = redis.call('HGET', KEYS[1], stepArg(i, 2))
    if open and active(redis.call('HGET', ARGV[13] .. open, 'status')) then return {'has_ticket', stepArg(i, 2), open} end
  end
  if tonumber(redis.call('HGET', KEYS[1], '_count') or '0') + n > tonumber(ARGV[7]) then return {'limit_reached', ARGV[7]} end
end
local origin = ARGV[16] == '1' and (redis.call('GET', KEYS[7]) or 'unknown') or nil
for i = 1, n do
  local stats = stepKey(i, 2)
  local issued = tonumber(redis.call('HGET', stats, 'issued') or '0')
  if issued >= tonumber(stepArg(i, 5)) then return {'quota_full', stepArg(i, 2)} end
  if origin then
    if tonumber(redis.call('HGET', stats, 'web') or '0') >= tonumber(stepArg(i, 6)) then return {'web_share_full', stepArg(i, 2)} end
    if tonumber(redis.call('GET', stepArg(i, 7) .. origin) or '0') >= tonumber(ARGV[17]) then return {'address_limit', stepArg(i, 2)} end
  end
end

local ids = {}
for i = 1, n do
  local seqKey, stats, wait, waitp, ticket = stepKey(i, 1), stepKey(i, 2), stepKey(i, 3), stepKey(i, 4), stepKey(i, 5)
  local id, service = stepArg(i, 1), stepArg(i, 2)
  ids[i] = id
  local seq = redis.call('INCR', seqKey)
  redis.call('EXPIRE', seqKey, ARGV[10])
  local number = stepArg(i, 4) .. '-' .. string.format('%03d', seq)
  redis.call('HSET', ticket,
    'id', id, 'number', number, 'seq', seq, 'serviceId', service, 'group', stepArg(i, 3), 'day', ARGV[2],
    'status', 'waiting', 'priority', ARGV[6], 'subject', subject, 'channel', ARGV[4], 'to', ARGV[5],
    'checklist', stepArg(i, 8), 'question', '', 'createdAt', now, 'recalls', 0, 'counter', '', 'source', ARGV[15],
    'visitId', ARGV[1], 'visitStep', i, 'visitSteps', n, 'held', i > 1 and '1' or '0')
  redis.call('EXPIRE', ticket, ARGV[9])
  local line = ARGV[6] == '1' and waitp or wait
  redis.call('ZADD', line, seq, id)
  redis.call('EXPIRE', line, ARGV[10])
  redis.call('HINCRBY', stats, 'issued', 1)
  if ARGV[6] == '1' then redis.call('HINCRBY', stats, 'priority', 1) end
  if origin then
    redis.call('HINCRBY', stats, 'web', 1)
    local addressKey = stepArg(i, 7) .. origin
    redis.call('INCR', addressKey)
    redis.call('EXPIRE', addressKey, ARGV[10])
  end
  redis.call('EXPIRE', stats, ARGV[12])
  if subject ~= '' then
    redis.call('HSET', KEYS[1], service, id)
    redis.call('SADD', KEYS[6], id)
  end
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[14], '*', 'type', 'issued', 'ticket', id, 'number', number,
    'service', service, 'status', 'waiting', 'counter', '', 'at', now)
end
if subject ~= '' then
  redis.call('HINCRBY', KEYS[1], '_count', n)
  redis.call('HSET', KEYS[1], sigField, ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[10])
  redis.call('EXPIRE', KEYS[6], ARGV[9])
end
-- The visit itself holds no personal data (service ids, ticket ids, outcomes): it stays for the report.
redis.call('HSET', KEYS[3], 'id', ARGV[1], 'day', ARGV[2], 'createdAt', now, 'services', ARGV[19], 'tickets', table.concat(ids, ','))
redis.call('EXPIRE', KEYS[3], ARGV[12])
redis.call('SADD', KEYS[8], ARGV[1])
redis.call('EXPIRE', KEYS[8], ARGV[12])
if KEYS[2] ~= KEYS[3] then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[11]) end
return {'new', ARGV[1]}
