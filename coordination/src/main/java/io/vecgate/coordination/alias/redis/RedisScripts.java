package io.vecgate.coordination.alias.redis;

/**
 * The Lua scripts of the Redis alias store: each operation is one script, so it runs atomically
 * (Redis runs one script at a time), and a change increments the store revision, updates the
 * index and PUBLISHes its notice inside the same script: there is no moment where the change is
 * made and its notice not yet sent.
 *
 * <p>Arguments: {@code ARGV[1]} the key prefix ({@link RedisKeys}), {@code ARGV[2]} an epoch to set
 * when the store has none, {@code ARGV[3..]} the operation's. Replies are JSON text:
 * {@code {"ok": alias}} with the alias in the stored form of
 * {@link io.vecgate.coordination.alias.AliasJson} ({@code "deleted": true} when it went away),
 * or {@code {"error": "exists" | "not_found" | "conflict" | "no_history", "serving": ..., "expected": ...}}.
 * Notices on the channel: {@code {"epoch": ..., "alias": alias}}.
 *
 * <p>The rules are those of {@link io.vecgate.coordination.alias.AliasTable}; the contract test
 * runs both stores through the same cases.
 */
final class RedisScripts {

  private RedisScripts() {}

  private static final String PRELUDE = """
      local P = ARGV[1]
      local IDX = P .. ':aliases'
      local REV = P .. ':aliases:revision'
      local EPOCH = P .. ':aliases:epoch'
      local CHAN = P .. ':aliases:changes'
      local function k1(n) return P .. ':alias:' .. n end
      local function k2(n) return k1(n) .. ':building' end
      local function kh(n) return k1(n) .. ':history' end
      local function epoch()
        local e = redis.call('GET', EPOCH)
        if not e then
          e = ARGV[2]
          redis.call('SET', EPOCH, e)
        end
        return e
      end
      local function view(n, rev)
        local o = {name = n, revision = rev, history = redis.call('LRANGE', kh(n), 0, -1)}
        local s = redis.call('GET', k1(n))
        if s then o.serving = s end
        local b = redis.call('GET', k2(n))
        if b then o.building = b end
        return o
      end
      local function current(n)
        return view(n, tonumber(redis.call('HGET', IDX, n) or '0'))
      end
      local function changed(n)
        local rev = redis.call('INCR', REV)
        local o
        if redis.call('EXISTS', k1(n), k2(n)) > 0 then
          redis.call('HSET', IDX, n, rev)
          o = view(n, rev)
        else
          redis.call('HDEL', IDX, n)
          redis.call('DEL', kh(n))
          o = {name = n, revision = rev, deleted = true}
        end
        redis.call('PUBLISH', CHAN, cjson.encode({epoch = epoch(), alias = o}))
        return o
      end
      local function reply(o) return cjson.encode({ok = o}) end
      local function refuse(kind, n, exp)
        local o = {error = kind, name = n}
        local s = redis.call('GET', k1(n))
        if s then o.serving = s end
        if exp then o.expected = exp end
        return cjson.encode(o)
      end
      """;

  /** ARGV[3] name, ARGV[4] target. */
  static final String CREATE = PRELUDE + """
      local n, t = ARGV[3], ARGV[4]
      if redis.call('GET', k1(n)) then return refuse('exists', n) end
      redis.call('SET', k1(n), t)
      if redis.call('GET', k2(n)) == t then redis.call('DEL', k2(n)) end
      redis.call('LREM', kh(n), 0, t)
      return reply(changed(n))
      """;

  /** ARGV[3] name, ARGV[4] expected target ('' = any), ARGV[5] next target, ARGV[6] history length. */
  static final String SWITCH = PRELUDE + """
      local n, exp, t, len = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
      local cur = redis.call('GET', k1(n))
      if not cur then return refuse('not_found', n) end
      if exp ~= '' and cur ~= exp then return refuse('conflict', n, exp) end
      if cur == t then return reply(current(n)) end
      redis.call('SET', k1(n), t)
      redis.call('LREM', kh(n), 0, cur)
      redis.call('LREM', kh(n), 0, t)
      if len > 0 then
        redis.call('LPUSH', kh(n), cur)
        redis.call('LTRIM', kh(n), 0, len - 1)
      else
        redis.call('DEL', kh(n))
      end
      if redis.call('GET', k2(n)) == t then redis.call('DEL', k2(n)) end
      return reply(changed(n))
      """;

  /** ARGV[3] name, ARGV[4] expected target ('' = any). */
  static final String ROLLBACK = PRELUDE + """
      local n, exp = ARGV[3], ARGV[4]
      local cur = redis.call('GET', k1(n))
      if not cur then return refuse('not_found', n) end
      if exp ~= '' and cur ~= exp then return refuse('conflict', n, exp) end
      local prev = redis.call('LPOP', kh(n))
      if not prev then return refuse('no_history', n) end
      redis.call('SET', k1(n), prev)
      if redis.call('GET', k2(n)) == prev then redis.call('DEL', k2(n)) end
      return reply(changed(n))
      """;

  /** ARGV[3] name; replies with what the alias was, stamped with the revision of its deletion. */
  static final String DELETE = PRELUDE + """
      local n = ARGV[3]
      if not redis.call('GET', k1(n)) then return refuse('not_found', n) end
      local was = view(n, 0)
      redis.call('DEL', k1(n), k2(n), kh(n))
      was.revision = changed(n).revision
      return reply(was)
      """;

  /** ARGV[3] name, ARGV[4] target. */
  static final String SET_BUILDING = PRELUDE + """
      local n, t = ARGV[3], ARGV[4]
      if redis.call('GET', k2(n)) == t then return reply(current(n)) end
      redis.call('SET', k2(n), t)
      return reply(changed(n))
      """;

  /** ARGV[3] name; replies {"ok": {}} (no alias) when there was nothing to clear and no alias. */
  static final String CLEAR_BUILDING = PRELUDE + """
      local n = ARGV[3]
      if not redis.call('GET', k2(n)) then
        if redis.call('HEXISTS', IDX, n) == 1 then return reply(current(n)) end
        return '{"ok":null}'
      end
      redis.call('DEL', k2(n))
      return reply(changed(n))
      """;

  /** ARGV[3] target; replies {"deleted": [names]}. */
  static final String FORGET = PRELUDE + """
      local t = ARGV[3]
      local deleted = {}
      for _, n in ipairs(redis.call('HKEYS', IDX)) do
        if redis.call('GET', k1(n)) == t then
          redis.call('DEL', k1(n), k2(n), kh(n))
          deleted[#deleted + 1] = n
          changed(n)
        else
          local mod = false
          if redis.call('GET', k2(n)) == t then
            redis.call('DEL', k2(n))
            mod = true
          end
          if redis.call('LREM', kh(n), 0, t) > 0 then mod = true end
          if mod then changed(n) end
        end
      end
      return cjson.encode({deleted = deleted})
      """;

  /** ARGV[3] name; replies {"ok": alias} or {"ok": null}. */
  static final String GET = PRELUDE + """
      local n = ARGV[3]
      if redis.call('HEXISTS', IDX, n) == 0 then return '{"ok":null}' end
      return reply(current(n))
      """;

  /** Every alias at one revision: {"epoch", "revision", "aliases": [alias]}. */
  static final String SNAPSHOT = PRELUDE + """
      local list = {}
      for _, n in ipairs(redis.call('HKEYS', IDX)) do list[#list + 1] = current(n) end
      return cjson.encode({epoch = epoch(), revision = tonumber(redis.call('GET', REV) or '0'), aliases = list})
      """;
}
