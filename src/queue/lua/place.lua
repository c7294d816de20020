-- Put a waiting ticket just ahead of the first ticket in its line that was taken after `since`
-- (a booked citizen's slot start), so walk-ins who came later do not pass them and they do not
-- pass those already waiting at their slot time. The ticket's seq follows its new score, so its
-- place and wait estimate read right. Nothing moves when no later ticket is ahead of it.
-- KEYS: 1 ticket 2 line (wait or waitp of its service and day)
-- ARGV: 1 sinceMs 2 ticketKeyPrefix
local t = redis.call('HMGET', KEYS[1], 'status', 'id')
if not t[1] then return {'unknown_ticket'} end
if t[1] ~= 'waiting' then return {'illegal_transition', t[1]} end
if not redis.call('ZSCORE', KEYS[2], t[2]) then return {'illegal_transition', 'not in line'} end
local line = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
local since = tonumber(ARGV[1])
for i = 1, #line, 2 do
  local id, score = line[i], tonumber(line[i + 1])
  if id == t[2] then return {'ok', 0} end
  local created = tonumber(redis.call('HGET', ARGV[2] .. id, 'createdAt') or '0')
  if created > since then
    local before = i > 1 and tonumber(line[i - 1]) or score - 1
    local placed = (before + score) / 2
    redis.call('ZADD', KEYS[2], placed, t[2])
    redis.call('HSET', KEYS[1], 'seq', tostring(placed))
    local moved = 0
    for j = i, #line, 2 do
      if line[j] == t[2] then break end
      moved = moved + 1
    end
    return {'ok', moved}
  end
end
return {'ok', 0}
