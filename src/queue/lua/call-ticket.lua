-- Call one waiting ticket out of order: the officer picked it from the list and gave a reason.
-- Same effects as call-next for the ticket and the counter (a 'called' event, so the citizen is
-- told and the board shows it), plus the reason on the ticket, in the event and in the day's log.
-- The pool's priority count is not touched: an out-of-order call is not a turn of the policy.
-- KEYS: 1 counter 2 events 3 ticket 4 wait(service,day) 5 waitp(service,day) 6 counterStatus(day)
--       7 outOfOrder(day) 8 citizen(subject,day) (a dummy for a ticket without a citizen)
-- ARGV: 1 counterId 2 nowMs 3 ticketKeyPrefix 4 eventsMaxLen 5 dayTtlSec 6 day 7 reason
--       8 officer 9 logTtlSec
local current = counterBusyWith(KEYS[1], ARGV[3], ARGV[6], nil)
if current then return {'counter_busy', current} end
local paused = redis.call('HGET', KEYS[6], ARGV[1])
if paused then return {'counter_not_open', paused} end
local t = redis.call('HMGET', KEYS[3], 'status', 'id', 'number', 'serviceId', 'day', 'held', 'subject')
if not t[1] then return {'unknown_ticket'} end
if t[1] ~= 'waiting' or t[5] ~= ARGV[6] then return {'illegal_transition', t[1]} end
-- The rules call-next keeps, kept here too: a held visit step waits for the step before it, and
-- a citizen at another counter is never called to a second one.
if t[6] == '1' then return {'illegal_transition', 'held'} end
local hasCitizen = t[7] and t[7] ~= ''
if hasCitizen then
  local busy = citizenBusyWith(KEYS[8], ARGV[3], t[2])
  if busy then return {'citizen_busy', busy} end
end
local removed = redis.call('ZREM', KEYS[4], t[2]) + redis.call('ZREM', KEYS[5], t[2])
if removed == 0 then return {'illegal_transition', 'not in line'} end
redis.call('HSET', KEYS[3], 'status', 'called', 'counter', ARGV[1], 'calledAt', ARGV[2], 'callReason', ARGV[7])
if ARGV[8] ~= '' then redis.call('HSET', KEYS[3], 'officer', ARGV[8]) else redis.call('HDEL', KEYS[3], 'officer') end
redis.call('HINCRBY', KEYS[3], 'calls', 1)
redis.call('HSET', KEYS[1], 'ticket', t[2])
if hasCitizen then
  redis.call('HSET', KEYS[8], '_busy', t[2])
  redis.call('EXPIRE', KEYS[8], ARGV[5])
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[7], ARGV[2], cjson.encode({ at = tonumber(ARGV[2]), counter = ARGV[1], officer = ARGV[8], number = t[3], service = t[4], reason = ARGV[7], ticket = t[2] }))
redis.call('EXPIRE', KEYS[7], ARGV[9])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'called', 'ticket', t[2], 'number', t[3],
  'service', t[4], 'status', 'called', 'counter', ARGV[1], 'at', ARGV[2], 'reason', ARGV[7])
return {'called', t[2]}
