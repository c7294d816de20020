-- The first `limit` waiting tickets of a pool in call order (order.lua, prepended): the one read
-- model of "how many are ahead of me". Reads only.
-- KEYS: 1 pool(pool,day), then per service of the pool: wait, waitp
-- ARGV: 1 priorityEvery 2 limit (-1: all)
local limit = tonumber(ARGV[2])
local lines = readLines(2, limit)
local since = tonumber(redis.call('HGET', KEYS[1], 'regularSince') or '0')
local order = callOrder(lines, since, tonumber(ARGV[1]), limit < 0 and math.huge or limit)
local ids = {}
for i = 1, #order do ids[i] = order[i].id end
return ids
