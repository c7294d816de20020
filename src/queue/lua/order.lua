-- The calling policy, in one place: the order in which the counters of one pool (counters that
-- serve the same services) will call the waiting tickets. call-next takes the head of this order,
-- postpone moves a ticket within it, and positions are indexes in it. Prepended to those scripts.
-- Rules: the oldest ticket (lowest score; on a tie the earlier line, then ZSET member order)
-- among the pool's regular lines, and one priority ticket after every N regular ones (the pool's
-- `regularSince`), or at once when no regular ticket waits (N = 0: priority always first).

-- Reads lines (KEYS[first], KEYS[first+1], ... alternating regular, priority) into memory:
-- each line { key, priority, ids = {...}, scores = {...} }. At most `count` per line (-1: all).
local function readLines(first, count)
  local lines = {}
  for i = first, #KEYS do
    local raw = redis.call('ZRANGE', KEYS[i], 0, count < 0 and -1 or count - 1, 'WITHSCORES')
    local line = { key = KEYS[i], priority = ((i - first) % 2 == 1), ids = {}, scores = {} }
    for j = 1, #raw, 2 do
      line.ids[#line.ids + 1] = raw[j]
      line.scores[#line.scores + 1] = tonumber(raw[j + 1])
    end
    lines[#lines + 1] = line
  end
  return lines
end

-- The first `limit` tickets in call order: a list of { id, line } (line: index in `lines`);
-- with `stopAt`, the order ends at that ticket (a position needs nothing behind it).
local function callOrder(lines, since, every, limit, stopAt)
  local heads = {}
  for i = 1, #lines do heads[i] = 1 end
  local function oldest(priority)
    local best, bestScore
    for i = 1, #lines do
      local line = lines[i]
      if line.priority == priority and line.ids[heads[i]] then
        local score = line.scores[heads[i]]
        if not bestScore or score < bestScore then best, bestScore = i, score end
      end
    end
    return best
  end
  local order = {}
  while #order < limit do
    local regular, priority = oldest(false), oldest(true)
    local chosen
    if priority and (not regular or since >= every) then
      chosen, since = priority, 0
    elseif regular then
      chosen, since = regular, since + 1
    else
      break
    end
    order[#order + 1] = { id = lines[chosen].ids[heads[chosen]], line = chosen }
    heads[chosen] = heads[chosen] + 1
    if stopAt and order[#order].id == stopAt then break end
  end
  return order
end

local function indexOf(order, id)
  for i = 1, #order do
    if order[i].id == id then return i end
  end
  return nil
end
