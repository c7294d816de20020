-- The call order of a pool (order.lua, prepended): the one read model of "how many are ahead
-- of me". Reads only. With a ticket id it answers that ticket's index (-1: not in this pool) and
-- stops there, so a position costs no more than the tickets ahead of it; else the first `limit` ids.
-- KEYS: 1 pool(pool,day), then per service of the pool: wait, waitp
-- ARGV: 1 priorityEvery 2 limit (-1: all) 3 ticket id ('' for the list)
local limit = tonumber(ARGV[2])
local target = ARGV[3] ~= '' and ARGV[3] or nil
local lines = readLines(2, target and -1 or limit)
local since = tonumber(redis.call('HGET', KEYS[1], 'regularSince') or '0')
local order = callOrder(lines, since, tonumber(ARGV[1]), (limit < 0 or target) and math.huge or limit, target)
if target then
  local last = order[#order]
  return (last and last.id == target) and (#order - 1) or -1
end
local ids = {}
for i = 1, #order do ids[i] = order[i].id end
return ids
