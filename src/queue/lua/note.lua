-- The officer's outcome and note on a ticket: stored on the ticket, so they expire with it.
-- KEYS: 1 ticket  ARGV: 1 outcome ('' clears) 2 note ('' clears)
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown_ticket'} end
redis.call('HSET', KEYS[1], 'outcome', ARGV[1], 'note', ARGV[2])
return {'ok'}
