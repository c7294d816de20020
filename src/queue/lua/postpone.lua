-- "Saya terlambat": move a waiting ticket back by N places in its pool's call order (order.lua,
-- prepended), once per ticket. The ticket keeps its lane (regular or priority) and gets the
-- first score in that lane that puts it at least N places later in the order (fewer near the
-- end). Returns how many places it really moved and how many are now ahead of it.
-- KEYS: 1 ticket 2 events 3 pool(pool,day), then per service of the pool: wait, waitp
-- ARGV: 1 places 2 nowMs 3 eventsMaxLen 4 priorityEvery
local t = redis.call('HMGET', KEYS[1], 'status', 'postponed', 'id', 'number', 'serviceId')
if not t[1] then return {'unknown_ticket'} end
if t[1] ~= 'waiting' then return {'illegal_transition', t[1]} end
if t[2] == '1' then return {'already_postponed'} end
local id = t[3]
local lines = readLines(4, -1)
local since = tonumber(redis.call('HGET', KEYS[3], 'regularSince') or '0')
local every = tonumber(ARGV[4])
local order = callOrder(lines, since, every, math.huge)
local from = indexOf(order, id)
if not from then return {'illegal_transition', 'not in line'} end
local target = math.min(from + tonumber(ARGV[1]), #order)
local home = lines[order[from].line]

local function remove()
  for j = 1, #home.ids do
    if home.ids[j] == id then
      table.remove(home.ids, j)
      table.remove(home.scores, j)
      return
    end
  end
end
local function insert(score)
  local j = 1
  -- ZSET order: score, then member bytes.
  while home.ids[j] and (home.scores[j] < score or (home.scores[j] == score and home.ids[j] < id)) do j = j + 1 end
  table.insert(home.ids, j, id)
  table.insert(home.scores, j, score)
end

local moved, at = 0, from
if target > from then
  remove()
  -- The ticket's lane without it, in call order, with each entry's score.
  local lane, passed = {}, 0
  for _, entry in ipairs(callOrder(lines, since, every, math.huge)) do
    local line = lines[entry.line]
    if line.priority == home.priority then
      local score
      for j = 1, #line.ids do if line.ids[j] == entry.id then score = line.scores[j] end end
      lane[#lane + 1] = score
    end
  end
  for j = 1, from - 1 do
    if lines[order[j].line].priority == home.priority then passed = passed + 1 end
  end
  local placed
  for m = passed + 1, #lane do
    local s, nextScore = lane[m], lane[m + 1]
    -- At the end: below the next whole number, which a ticket taken later gets (no tie with it).
    local score = (nextScore and nextScore > s) and (s + nextScore) / 2 or (nextScore and s or (s + math.floor(s) + 1) / 2)
    insert(score)
    local now = indexOf(callOrder(lines, since, every, math.huge), id)
    if now >= target or m == #lane then
      placed, at = score, now
      break
    end
    remove()
  end
  if placed then
    redis.call('ZADD', home.key, placed, id)
    moved = at - from
  else
    at = from
  end
end
redis.call('HSET', KEYS[1], 'postponed', '1')
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'type', 'postponed', 'ticket', id, 'number', t[4],
  'service', t[5], 'status', 'waiting', 'counter', '', 'at', ARGV[2])
return {'ok', moved, at - 1}
