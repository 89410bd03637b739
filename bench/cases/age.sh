# age: encrypt and decrypt 1 GiB against age 1.1.1 (target: ratio ≤ 1.0), and encrypt + decrypt
# of a 200-byte file, one process each (target: gitopsctl median ≤ 10 ms). Inputs are random
# bytes in $BENCH_OUT; the age key is made with age-keygen so both tools use the same key.
# Bounded memory (not run here, it streams 8 GiB): both processes stay near 20 MiB resident.
#   head -c 4G /dev/zero | /usr/bin/time -v gitopsctl age encrypt -r "$recipient" \
#     | /usr/bin/time -v gitopsctl age decrypt -i "$key" | wc -c
bench_has age-keygen || { echo "age        skipped: age-keygen not installed"; return 0; }
key="$BENCH_OUT/key.txt"
[ -s "$key" ] || age-keygen -o "$key" 2>/dev/null
recipient=$(age-keygen -y "$key")
big="$BENCH_OUT/1g.bin"
[ -s "$big" ] && [ "$(stat -c %s "$big")" -eq $((1 << 30)) ] || head -c $((1 << 30)) /dev/urandom >"$big"
small="$BENCH_OUT/200.bin"
[ -s "$small" ] || head -c 200 /dev/urandom >"$small"
age -r "$recipient" -o "$BENCH_OUT/1g.age" "$big"
age -r "$recipient" -o "$BENCH_OUT/200.age" "$small"

# A gigabyte per run: fewer runs (AGE_BENCH_RUNS), still medians after a warm-up.
(
  BENCH_RUNS=${AGE_BENCH_RUNS:-5}
  BENCH_WARMUP=1
  bench_compare age-enc-1G "$GITOPSCTL age encrypt -r $recipient $big" "age -r $recipient $big"
  bench_compare age-dec-1G "$GITOPSCTL age decrypt -i $key $BENCH_OUT/1g.age" "age -d -i $key $BENCH_OUT/1g.age"
)
bench_compare age-enc-200 "$GITOPSCTL age encrypt -r $recipient $small" "age -r $recipient $small"
bench_compare age-dec-200 "$GITOPSCTL age decrypt -i $key $BENCH_OUT/200.age" "age -d -i $key $BENCH_OUT/200.age"
bench_compare age-rt-200 "$GITOPSCTL age encrypt -r $recipient $small | $GITOPSCTL age decrypt -i $key" \
  "age -r $recipient $small | age -d -i $key"
