-- Undo "Selesai" within a short window: the ticket goes back to 'serving' at its counter and the
-- day's counts lose exactly what transition.lua's 'done' added (served, service and wait time,
-- the duration sample, the counter's served count). Refused once the window has passed, or when
-- the counter has since called someone else, or the citizen is already at another counter (the
-- next step of their visit): nobody is at two counters at once.
-- KEYS: 1 ticket 2 events 3 counter 4 stats(service,day) 5 durations(service,day)
--       6 citizen(subject,day) 7 counterServed(day)
-- ARGV: 1 nowMs 2 windowMs 3 eventsMaxLen 4 dayTtlSec 5 ticketKeyPrefix 6 statsTtlSec
local now = tonumber(ARGV[1])
local t = redis.call('HMGET', KEYS[1], 'status', 'id', 'number', 'serviceId', 'subject', 'createdAt', 'calledAt', 'startedAt', 'doneAt', 'counter', 'day')
if not t[1] then return {'unknown_ticket'} end
if t[1] ~= 'done' or not t[9] or not t[10] or t[10] == '' then return {'illegal_transition', t[1]} end
local doneAt = tonumber(t[9])
if now - doneAt > tonumber(ARGV[2]) then return {'undo_expired', doneAt} end
local current = counterBusyWith(KEYS[3], ARGV[5], t[11], t[2])
if current then return {'counter_busy', current} end
local hasCitizen = t[5] and t[5] ~= ''
if hasCitizen then
  local busy = citizenBusyWith(KEYS[6], ARGV[5], t[2])
  if busy then return {'citizen_busy', busy} end
end
-- The same arithmetic as transition.lua's 'done', so the counts come back exactly.
local started = tonumber(t[8] or t[7] or t[9])
local called = tonumber(t[7] or t[9])
local duration = math.max(0, doneAt - started)
redis.call('LREM', KEYS[5], 1, duration)
redis.call('HINCRBY', KEYS[4], 'served', -1)
-- '0 - x', not '-x': -0 would reach Redis as "-0", which HINCRBY refuses.
redis.call('HINCRBY', KEYS[4], 'serviceMs', 0 - duration)
redis.call('HINCRBY', KEYS[4], 'waitMs', 0 - math.max(0, called - tonumber(t[6])))
redis.call('EXPIRE', KEYS[4], ARGV[6])
if tonumber(redis.call('HGET', KEYS[7], t[10]) or '0') > 0 then redis.call('HINCRBY', KEYS[7], t[10], -1) end
redis.call('HDEL', KEYS[1], 'doneAt')
redis.call('HSET', KEYS[1], 'status', 'serving', 'startedAt', tostring(started))
redis.call('HSET', KEYS[3], 'ticket', t[2])
redis.call('EXPIRE', KEYS[3], ARGV[4])
if hasCitizen then
  if not redis.call('HGET', KEYS[6], t[4]) then redis.call('HSET', KEYS[6], t[4], t[2]) end
  -- At this counter again: call-next passes over the citizen's other tickets until this one ends.
  redis.call('HSET', KEYS[6], '_busy', t[2])
  redis.call('EXPIRE', KEYS[6], ARGV[4])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'type', 'undone', 'ticket', t[2], 'number', t[3],
  'service', t[4], 'status', 'serving', 'counter', t[10], 'at', ARGV[1])
return {'ok', 'serving'}
