-- "Saya terlambat": move a waiting ticket back by N places in its line, once per ticket.
-- KEYS: 1 ticket 2 line (wait or waitp of its service and day) 3 events
-- ARGV: 1 places 2 nowMs 3 eventsMaxLen
local t = redis.call('HMGET', KEYS[1], 'status', 'postponed', 'id', 'number', 'serviceId')
if not t[1] then return {'unknown_ticket'} end
if t[1] ~= 'waiting' then return {'illegal_transition', t[1]} end
if t[2] == '1' then return {'already_postponed'} end
local score = redis.call('ZSCORE', KEYS[2], t[3])
if not score then return {'illegal_transition', 'not in line'} end
local behind = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. score, '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local moved = #behind / 2
if moved > 0 then
  local last = tonumber(behind[#behind])
  local after = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. last, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  local newScore = after[2] and (last + tonumber(after[2])) / 2 or last + 0.5
  redis.call('ZADD', KEYS[2], newScore, t[3])
end
redis.call('HSET', KEYS[1], 'postponed', '1')
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'type', 'postponed', 'ticket', t[3], 'number', t[4],
  'service', t[5], 'status', 'waiting', 'counter', '', 'at', ARGV[2])
return {'ok', moved}
