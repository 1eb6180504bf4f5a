/**
 * Lua run by Redis atomically. Each is one round trip and cannot interleave with another
 * instance's writes, which is what makes "only one terminal event" hold across the fleet.
 */

/**
 * Renews the leases this instance still holds. KEYS: lease keys; ARGV[1]: instance id,
 * ARGV[2]: TTL in ms. Returns, per key, 1 when renewed and 0 when the lease is gone or
 * another's (the owner must then stop: someone may already have ended the response).
 */
export const RENEW_LEASES = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
`;

/**
 * Ends a response whose owner lost its lease (died, or cut off from Redis): appends the
 * terminal event(s) after the last one in its stream (an entry holds `n` events from number
 * `s`; one when `n` is absent), numbered from there, marks the record
 * done and stops tracking it. Does nothing when the lease exists or the response already
 * ended. KEYS: lease, record, events, live set. ARGV: response id, the `error` event JSON (or
 * ""), the `response.failed` event JSON (both numbered -1, renumbered here), the failed
 * resource JSON, retention ms, stream length bound. Returns the terminal's number, or -1.
 */
export const REAP = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if redis.call('HGET', KEYS[2], 'd') == '1' then
  redis.call('SREM', KEYS[4], ARGV[1])
  return -1
end
local n = 0
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
if #last > 0 then
  local fields = last[1][2]
  local first, count = 0, 1
  for i = 1, #fields, 2 do
    if fields[i] == 's' then first = tonumber(fields[i + 1]) end
    if fields[i] == 'n' then count = tonumber(fields[i + 1]) end
  end
  n = first + count
  for i = 1, #fields, 2 do
    if fields[i] == 'x' then
      redis.call('HSET', KEYS[2], 'd', '1')
      redis.call('SREM', KEYS[4], ARGV[1])
      return -1
    end
  end
end
local streamed = redis.call('HGET', KEYS[2], 'k') == '1'
if streamed then
  if ARGV[2] ~= '' then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 's', n, 't', 'error',
      'j', (string.gsub(ARGV[2], '"sequence_number":%-1', '"sequence_number":' .. n)))
    n = n + 1
  end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 's', n, 't', 'response.failed',
    'j', (string.gsub(ARGV[3], '"sequence_number":%-1', '"sequence_number":' .. n)), 'x', '1')
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
redis.call('HSET', KEYS[2], 'd', '1', 'res', ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('SREM', KEYS[4], ARGV[1])
return n
`;

/**
 * Appends one entry to each response's stream: all the events it appended since the last write
 * (one command a write for every response, instead of one per response). KEYS: the streams.
 * ARGV[1]: the length bound (`MAXLEN ~`); ARGV[2]: the entries packed by `packBatch`, one a key
 * in KEYS' order, each separated by byte 0x1e and its six fields by 0x1f (first number, count,
 * "1" when it ends with the terminal, the expiry to set in ms or 0, the types, the JSON). One
 * argument, not six a key: the client's cost of a command follows its arguments. An entry's
 * fields: `s`, `n`, `t`, `j`, and `x` on the terminal's.
 */
export const APPEND_BATCHES = `
local packed = ARGV[2]
local at = 1
for _, key in ipairs(KEYS) do
  local stop = string.find(packed, '\\30', at, true) or (#packed + 1)
  local f = {}
  for i = 1, 5 do
    local sep = string.find(packed, '\\31', at, true)
    f[i] = string.sub(packed, at, sep - 1)
    at = sep + 1
  end
  local j = string.sub(packed, at, stop - 1)
  if f[3] == '1' then
    redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', 's', f[1], 'n', f[2], 't', f[5], 'j', j,
      'x', '1')
  else
    redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', 's', f[1], 'n', f[2], 't', f[5], 'j', j)
  end
  if f[4] ~= '0' then redis.call('PEXPIRE', key, f[4]) end
  at = stop + 1
end
return #KEYS
`;
