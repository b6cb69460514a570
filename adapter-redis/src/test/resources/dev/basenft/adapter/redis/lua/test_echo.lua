-- For ScriptBatcherTest: counts the call in KEYS[1] and answers ARGV[1].
redis.call('INCR', KEYS[1])
return ARGV[1]
