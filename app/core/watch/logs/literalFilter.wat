;; The first pass of the log scanner's literal search: one pass over a chunk of bytes, a rolling
;; key of the last K (3 or 4) bytes after folding (table at address 0: ASCII case folding, or
;; identity), hashed into a 64 KiB table of keys (at address 256) that the literals start with.
;; Every position whose key may be a literal's is written out (u32, index of the key's last byte);
;; JavaScript then checks the literal there (literalSearch.ts). No backtracking, no allocation:
;; a few instructions per byte, which is what lets a JavaScript scanner keep up with grep.
;;
;; Built into literalFilterWasm.ts by scripts/build-literal-filter.ts (wabt); a unit test checks
;; that the bytes there are this file's.
(module
  (memory (export "memory") 3)
  ;; pos, end: absolute addresses of the bytes to scan; out: where candidates go; cap: how many fit;
  ;; mask: 0xFFFFFFFF for 4-byte keys, 0x00FFFFFF for 3-byte keys. Returns the count written; when
  ;; it equals cap the caller resumes after the last candidate.
  (func (export "scan") (param $pos i32) (param $end i32) (param $out i32) (param $cap i32) (param $mask i32) (result i32)
    (local $v i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pos) (local.get $end)))
        (local.set $v
          (i32.and
            (i32.or (i32.shl (local.get $v) (i32.const 8)) (i32.load8_u (i32.load8_u (local.get $pos))))
            (local.get $mask)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (br_if $next
          (i32.eqz (i32.load8_u offset=256 (i32.shr_u (i32.mul (local.get $v) (i32.const 0x9E3779B1)) (i32.const 16)))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (i32.sub (local.get $pos) (i32.const 1)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $n) (local.get $cap)))))
    (local.get $n)))
