-- Move a ticket from one state to another; the caller read the ticket and passes every key.
-- The ticket's status must still be the one the caller saw (else 'conflict': read again).
-- KEYS: 1 ticket 2 events 3 counter(current, may be a dummy) 4 wait(service) 5 waitp(service)
--       6 stats(service,day) 7 citizen(subject,day) 8 durations(service,day) 9 noshows(subject)
--       10 block(subject) 11 target wait (transfer) 12 target waitp (transfer)
--       13 visit (the ticket's visit, or the ticket key again when it is in none)
--       14.. (transfer) wait, waitp of every service sharing a call order with the target
-- ARGV: 1 action 2 expectedStatus 3 nowMs 4 eventsMaxLen 5 statsTtlSec 6 noshowLimit
--       7 noshowWindowMs 8 blockMs 9 target service (transfer) 10 ticketKeyPrefix
--       11 target's numbering group (transfer) 12 the ticket's group when its hash has none
local action, expected, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local t = redis.call('HMGET', KEYS[1], 'status', 'id', 'number', 'serviceId', 'subject', 'priority', 'createdAt', 'calledAt', 'startedAt', 'counter', 'seq', 'officer', 'group')
local status, id, number, service, subject, priority = t[1], t[2], t[3], t[4], t[5], t[6]
if not status then return {'unknown_ticket'} end
if status ~= expected then return {'conflict', status} end

local allowed = {
  recall = {called = 'called'},
  start = {called = 'serving'},
  done = {called = 'done', serving = 'done'},
  ['no-show'] = {called = 'no-show'},
  cancel = {waiting = 'cancelled', called = 'cancelled'},
  transfer = {waiting = 'waiting', called = 'waiting', serving = 'waiting'},
}
local next = allowed[action] and allowed[action][status]
if not next then return {'illegal_transition', status} end

local function releaseCounter()
  if t[10] and t[10] ~= '' and redis.call('HGET', KEYS[3], 'ticket') == id then redis.call('HDEL', KEYS[3], 'ticket') end
end
local function leaveCounter()
  if subject and subject ~= '' and redis.call('HGET', KEYS[7], '_busy') == id then redis.call('HDEL', KEYS[7], '_busy') end
end
local function releaseCitizen()
  if subject and subject ~= '' and redis.call('HGET', KEYS[7], service) == id then redis.call('HDEL', KEYS[7], service) end
  leaveCounter()
end
local function stat(field, by)
  redis.call('HINCRBY', KEYS[6], field, by)
  redis.call('EXPIRE', KEYS[6], ARGV[5])
end

local fields = {'status', next}
local eventCounter = t[10] or ''  -- the counter involved, for the board
if action == 'recall' then
  redis.call('HINCRBY', KEYS[1], 'recalls', 1)
  fields = {'status', next, 'calledAt', ARGV[3]}
elseif action == 'start' then
  fields = {'status', next, 'startedAt', ARGV[3]}
elseif action == 'done' then
  local started = tonumber(t[9] or t[8] or ARGV[3])
  local called = tonumber(t[8] or ARGV[3])
  local duration = math.max(0, now - started)
  redis.call('LPUSH', KEYS[8], duration)
  redis.call('LTRIM', KEYS[8], 0, 19)
  redis.call('EXPIRE', KEYS[8], ARGV[5])
  stat('served', 1)
  stat('serviceMs', duration)
  local created = tonumber(t[7])
  local wait = math.max(0, called - created)
  stat('waitMs', wait)
  -- Report detail (day-detail.ts reads it): waits by the UTC hour the ticket was taken, a
  -- histogram in whole minutes (capped at 600) for percentiles, the longest wait, who served.
  local hour = math.floor(created / 3600000) % 24
  stat('wh:' .. hour, wait)
  stat('wn:' .. hour, 1)
  stat('wm:' .. math.min(math.floor(wait / 60000), 600), 1)
  if wait > tonumber(redis.call('HGET', KEYS[6], 'waitMax') or '-1') then redis.call('HSET', KEYS[6], 'waitMax', wait) end
  if t[10] and t[10] ~= '' then stat('ctr:' .. t[10], 1) end
  if t[12] and t[12] ~= '' then stat('off:' .. t[12], 1) end
  fields = {'status', next, 'doneAt', ARGV[3]}
  releaseCounter()
  releaseCitizen()
elseif action == 'no-show' then
  stat('noshow', 1)
  if t[10] and t[10] ~= '' then stat('cns:' .. t[10], 1) end
  fields = {'status', next, 'closedAt', ARGV[3]}
  releaseCounter()
  releaseCitizen()
  if subject and subject ~= '' then
    redis.call('ZADD', KEYS[9], now, id)
    redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', now - tonumber(ARGV[7]))
    redis.call('PEXPIRE', KEYS[9], ARGV[7])
    if redis.call('ZCARD', KEYS[9]) >= tonumber(ARGV[6]) then redis.call('SET', KEYS[10], '1', 'PX', ARGV[8]) end
  end
elseif action == 'cancel' then
  stat('cancelled', 1)
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
  fields = {'status', next, 'closedAt', ARGV[3]}
  releaseCounter()
  releaseCitizen()
elseif action == 'transfer' then
  -- Counted on the day of the ticket under the source service: out, and to which service.
  stat('xout', 1)
  stat('xto:' .. ARGV[9], 1)
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
  local line = priority == '1' and KEYS[12] or KEYS[11]
  -- Within the group the number is the score: the citizen keeps their place in the new line.
  local score = tonumber(t[11])
  local fromGroup = (t[13] and t[13] ~= '') and t[13] or ARGV[12]
  local crossGroup = ARGV[11] ~= '' and fromGroup ~= ARGV[11]
  if crossGroup then
    -- Another group numbers the new line: its own number says nothing there. The ticket goes
    -- where its arrival time puts it among the tickets waiting in the target's call order(s):
    -- just ahead of the first (in score order) that was taken after it, behind all the others.
    -- Scores of a group are below its next number (new tickets get seq + 1), and the score
    -- chosen lies strictly between two scores or below the next whole number, so a ticket
    -- taken later always stays behind it and no two tickets of a line share a score.
    local created = tonumber(t[7] or '0') or 0
    local scores, laterMin = {}, nil
    for k = 14, #KEYS do
      local raw = redis.call('ZRANGE', KEYS[k], 0, -1, 'WITHSCORES')
      for j = 1, #raw, 2 do
        if raw[j] ~= id then
          local s = tonumber(raw[j + 1])
          scores[#scores + 1] = s
          local c = tonumber(redis.call('HGET', ARGV[10] .. raw[j], 'createdAt') or '0') or 0
          if c > created and (not laterMin or s < laterMin) then laterMin = s end
        end
      end
    end
    local below
    for _, s in ipairs(scores) do
      if (not laterMin or s < laterMin) and (not below or s > below) then below = s end
    end
    if laterMin then
      score = below and (below + laterMin) / 2 or laterMin - 0.5
    elseif below then
      score = (below + math.floor(below) + 1) / 2
    else
      -- Nothing waits: any score below the group's next number keeps later tickets behind.
      score = 0.5
    end
  end
  redis.call('ZADD', line, score, id)
  redis.call('EXPIRE', line, 172800)
  -- The ticket's seq follows its score in its new group (the board orders a group's next by it).
  if crossGroup then redis.call('HSET', KEYS[1], 'seq', tostring(score), 'group', ARGV[11]) end
  releaseCounter()
  leaveCounter()
  if subject and subject ~= '' then
    if redis.call('HGET', KEYS[7], service) == id then redis.call('HDEL', KEYS[7], service) end
    redis.call('HSET', KEYS[7], ARGV[9], id)
  end
  fields = {'status', next, 'serviceId', ARGV[9], 'counter', '', 'transferredFrom', service}
  service = ARGV[9]
end
redis.call('HSET', KEYS[1], unpack(fields))
local types = {recall = 'recalled', start = 'serving', done = 'done', ['no-show'] = 'no-show', cancel = 'cancelled', transfer = 'transferred'}
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', types[action], 'ticket', id, 'number', number,
  'service', service, 'status', next, 'counter', eventCounter, 'at', ARGV[3])
-- A visit step finished (done, no-show, cancelled): the visit records the outcome (its report),
-- and the first step still open, if held, becomes callable. One rule for all three endings: the
-- citizen decides about the rest (the chat asks "batalkan sisanya?"); a step is never held for a
-- step that will not happen, and never released while an earlier step can still be called.
if (next == 'done' or next == 'no-show' or next == 'cancelled') and KEYS[13] ~= KEYS[1] and redis.call('EXISTS', KEYS[13]) == 1 then
  local step = redis.call('HGET', KEYS[1], 'visitStep')
  if step then redis.call('HSET', KEYS[13], 'o' .. step, next .. '@' .. ARGV[3]) end
  local list = redis.call('HGET', KEYS[13], 'tickets') or ''
  for tid in string.gmatch(list, '[^,]+') do
    local s = redis.call('HMGET', ARGV[10] .. tid, 'status', 'held', 'number', 'serviceId')
    if s[1] == 'waiting' or s[1] == 'called' or s[1] == 'serving' then
      if s[2] == '1' then
        redis.call('HSET', ARGV[10] .. tid, 'held', '0', 'releasedAt', ARGV[3])
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'released', 'ticket', tid, 'number', s[3],
          'service', s[4], 'status', 'waiting', 'counter', '', 'at', ARGV[3])
      end
      break
    end
  end
end
return {'ok', next}
