-- One worker step (see takeNext, prepended from lib/take_next.lua when loaded).
--
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 pc, 5 delayed, 6 marker, 7 meta, 8 events
-- ARGV: 1 key prefix, 2 lock token, 3 lock duration ms, 4 now ms, 5 events max length, 6 worker name ('' for none)
return takeNext(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
