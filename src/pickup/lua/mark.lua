-- Moves an application on: ready, collected, or only a receipt number noted. Idempotent: marking
-- ready twice changes nothing the second time; nothing moves back from collected.
-- KEYS: record, ready index, receipt index (new receipt, else the record's own), reference index
-- ARGV: action (ready|collected|receipt), nowMs, new receipt compact ('' for none), receipt as typed, expireAtMs after collection
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing', '0', ''} end
local id = redis.call('HGET', KEYS[1], 'id')
local status = redis.call('HGET', KEYS[1], 'status')
local action = ARGV[1]
local now = tonumber(ARGV[2])
if ARGV[3] ~= '' then
  local owner = redis.call('GET', KEYS[3])
  if owner and owner ~= id then return {'receipt_taken', '0', status} end
end
if action == 'ready' and status == 'collected' then return {'collected', '0', status} end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'receipt', ARGV[4], 'receiptKey', ARGV[3])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[3], id, 'PX', ttl) end
end
local changed = '0'
if action == 'ready' and status == 'applied' then
  redis.call('HSET', KEYS[1], 'status', 'ready', 'readyAt', ARGV[2])
  redis.call('ZADD', KEYS[2], ARGV[2], id)
  changed = '1'
elseif action == 'collected' and status ~= 'collected' then
  redis.call('HSET', KEYS[1], 'status', 'collected', 'collectedAt', ARGV[2])
  redis.call('ZREM', KEYS[2], id)
  -- Kept a few days after collection (questions at the counter), never longer than planned.
  local ttl = redis.call('PTTL', KEYS[1])
  local want = math.max(1, tonumber(ARGV[5]) - now)
  if ttl < 0 or want < ttl then
    redis.call('PEXPIRE', KEYS[1], want)
    redis.call('PEXPIRE', KEYS[4], want)
    if redis.call('GET', KEYS[3]) == id then redis.call('PEXPIRE', KEYS[3], want) end
  end
  changed = '1'
end
return {'ok', changed, status}
