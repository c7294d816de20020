-- "Hapus data saya": remove the citizen's address from every booking they made. Bookings stay as
-- anonymous counts; a booking that already expired is not recreated.
-- KEYS: 1 all(subject) 2 citizen(subject)
-- ARGV: 1 bookingKeyPrefix
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do
  local key = ARGV[1] .. id
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'subject', '', 'channel', '', 'to', '') end
end
redis.call('DEL', KEYS[1], KEYS[2])
return #ids
