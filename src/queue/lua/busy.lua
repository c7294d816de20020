-- One counter serves one citizen, and one citizen stands at one counter: the checks call-next,
-- call-ticket and undo-done share (prepended to them). Both read the ticket's own status, so a
-- stale mark (a ticket left open yesterday, a `_busy` never cleared) blocks nobody.

-- The ticket a counter is still busy with today (called or serving), other than `except`; nil when free.
local function counterBusyWith(counterKey, ticketPrefix, day, except)
  local current = redis.call('HGET', counterKey, 'ticket')
  if not current or current == '' or current == except then return nil end
  local held = redis.call('HMGET', ticketPrefix .. current, 'status', 'day')
  if (held[1] == 'called' or held[1] == 'serving') and held[2] == day then return current end
  return nil
end

-- The citizen's ticket at a counter now (called or serving), other than `except`; nil when none.
-- `_busy` in the citizen's day hash is set on a call and cleared by transition.lua and
-- cancel-visit.lua when the ticket leaves the counter.
local function citizenBusyWith(citizenDayKey, ticketPrefix, except)
  local busy = redis.call('HGET', citizenDayKey, '_busy')
  if not busy or busy == '' or busy == except then return nil end
  local status = redis.call('HGET', ticketPrefix .. busy, 'status')
  if status == 'called' or status == 'serving' then return busy end
  return nil
end
