#!/bin/sh
# Builds examples/forecast.c (warning-free) and checks the shipped data
# (144 months, 112 first, 432 last, 40363 in all), the baselines the program
# computes against an independent computation here, that the LSTM learns
# the training months, the pictures, determinism, and that bad options and
# bad CSV files exit with a one-line message naming the problem (usage
# errors 2, bad files 1); a diverging run stops with exit 1.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
csv=examples/data/airline_passengers.csv

build_example forecast
F=${FORECAST:-./build/forecast}

# the data as shipped: Box & Jenkins series G
summary=$(awk -F, '/^[0-9]/ { n++; s += $2; if (n == 1) f = $2; l = $2 } END { print n, f, l, s }' "$csv")
[ "$summary" = "144 112 432 40363" ] && ok "$csv: 144 months, first 112, last 432, total 40363" \
    || no "$csv: months, first, last, total = '$summary' (want 144 112 432 40363)"
grep -q "^# .*AirPassengers" "$csv" && grep -q "^# .*Box" "$csv" && ok "$csv names its source in its header" \
    || no "$csv does not name its source"

# --help comes from the option table
$F --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --data --test-months --window --cell --hidden --epochs --batch --lr --clip --log --diff \
         --seeds --seed --images --no-images --quiet --help; do
    grep -q -- "^  $o " "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

# bad options (exit 2) and bad files (exit 1): one line on stderr
code=2
bad() { # expected words in the message, then the arguments
    words=$1; shift
    $F --epochs 1 --seeds 1 --no-images "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq $code ] && grep -q -- "$words" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
        ok "forecast $* exits $code: $(cat "$tmp/err")"
    else no "forecast $* exited with $rc (want $code), message '$(head -c 200 "$tmp/err")'"; fi
}
bad "unknown option" --bogus
bad "needs a whole number" --window 0
bad "needs a number" --lr fast
bad "lacks its value" --epochs
bad "takes no value" --log=1
bad "must be tanh, relu, gru_simple, gru, lstm or peephole, not 'rnn'" --cell rnn
bad "\-\-data lacks its value (FILE), before --epochs" --data --epochs 20
code=1
bad "at least 13 are needed" --test-months 140
bad "cannot open $tmp/none.csv" --data "$tmp/none.csv"
: >"$tmp/empty.csv"
bad "$tmp/empty.csv: no data rows" --data "$tmp/empty.csv"
printf '# only a comment\nmonth,passengers\n' >"$tmp/header.csv"
bad "$tmp/header.csv: no data rows" --data "$tmp/header.csv"
sed 's/^1953-05,229$/1953-05,many/' "$csv" >"$tmp/word.csv"
bad "word.csv:$(grep -n '^1953-05' "$csv" | cut -d: -f1): the value 'many' is not a positive number" --data "$tmp/word.csv"
sed 's/^1953-05,229$/1953-05,-229/' "$csv" >"$tmp/neg.csv"
bad "neg.csv:.*not a positive number" --data "$tmp/neg.csv"
grep -v '^1953-05' "$csv" >"$tmp/gap.csv"
bad "gap.csv:.*1953-06 does not follow" --data "$tmp/gap.csv"
sed 's/^1953-05,229$/1953-13,229/' "$csv" >"$tmp/month.csv"
bad "month.csv:.*expected a row YYYY-MM,value" --data "$tmp/month.csv"
sed 's/^1953-05,229$/month,passengers/' "$csv" >"$tmp/twohead.csv"
bad "twohead.csv:.*expected a row" --data "$tmp/twohead.csv"
head -c 3000 /dev/urandom | tr -d '\000' >"$tmp/noise.csv"
$F --data "$tmp/noise.csv" --epochs 1 --seeds 1 --no-images >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok "random bytes as a CSV exit 1: $(head -c 120 "$tmp/err")" \
    || no "random bytes as a CSV: exit $rc, '$(head -c 200 "$tmp/err")'"

# a short run: 2 seeds, 150 epochs
$F --epochs 150 --seeds 2 --images "$tmp" >"$tmp/run" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && ok "a short run exits 0" || no "the short run exited with $rc: $(tail -n 2 "$tmp/run")"
# the seasonal-naive RMSE of 1959-1960 (one step: the same month a year before), computed here
want=$(awk -F, '/^[0-9]/ { v[n++] = $2 } END { for (t = n - 24; t < n; t++) s += (v[t] - v[t-12])^2; printf "%.1f", sqrt(s / 24) }' "$csv")
got=$(awk '$1 == "seasonal" && $2 == "naive" { print $3; exit }' "$tmp/run")
[ -n "$got" ] && [ "$got" = "$want" ] && ok "the seasonal-naive RMSE is $got, as computed here" \
    || no "the seasonal-naive RMSE printed is '$got', computed here $want"
# the linear trend: least squares on the 120 training months, RMSE on the last 24, computed here
want=$(awk -F, '/^[0-9]/ { v[n++] = $2 } END { m = n - 24; for (t = 0; t < m; t++) { st += t; sv += v[t] } st /= m; sv /= m;
        for (t = 0; t < m; t++) { sxx += (t - st)^2; sxy += (t - st) * (v[t] - sv) } b = sxy / sxx; a = sv - b * st;
        for (t = m; t < n; t++) s += (a + b * t - v[t])^2; printf "%.1f", sqrt(s / 24) }' "$csv")
got=$(awk '$1 == "linear" && $2 == "trend" { print $3; exit }' "$tmp/run")
[ -n "$got" ] && [ "$got" = "$want" ] && ok "the linear-trend RMSE is $got, as computed here" \
    || no "the linear-trend RMSE printed is '$got', computed here $want"
# the LSTM learns the training months: its fit is far better than the trend's error on them
trainfit=$(awk '$1 == "lstm," && $2 == "mean" { print $(NF-2); exit }' "$tmp/run")
trendfit=$(awk -F, '/^[0-9]/ { v[n++] = $2 } END { m = n - 24; for (t = 0; t < m; t++) { st += t; sv += v[t] } st /= m; sv /= m;
        for (t = 0; t < m; t++) { sxx += (t - st)^2; sxy += (t - st) * (v[t] - sv) } b = sxy / sxx; a = sv - b * st;
        for (t = 12; t < m; t++) s += (a + b * t - v[t])^2; printf "%.1f", sqrt(s / (m - 12)) }' "$csv")
awk -v a="$trainfit" -v b="$trendfit" 'BEGIN { exit !(a != "" && a + 0 < b / 2) }' \
    && ok "the LSTM fits the training months (RMSE $trainfit) better than half the trend's error there ($trendfit)" \
    || no "the LSTM's training RMSE is '$trainfit', the trend's $trendfit (want under half)"
n=$(awk '/^the test months/ { on = 1; next } on && /^19[56][0-9]-[0-9][0-9] / { k++ } END { print k + 0 }' "$tmp/run")
[ "$n" -eq 24 ] && ok "the table of the test months has 24 rows" || no "the table of the test months has $n rows (want 24)"
for p in forecast_series.png forecast_test.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done
: > "$tmp/file"
$F --epochs 1 --seeds 1 --images "$tmp/file/dir" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" \
              || no "an unwritable picture gave exit $rc, '$(head -c 200 "$tmp/err")'"
# a diverging run stops: one line that says so and what to try, exit 1
$F --lr 10 --epochs 20 --seeds 1 --no-images --quiet >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "training diverged at update .*try a lower --lr" "$tmp/err" \
    && ok "--lr 10 diverges and stops (exit 1): $(head -c 150 "$tmp/err")" || no "--lr 10: exit $rc, '$(head -c 200 "$tmp/err")'"

# --diff: predicting the change beats the seasonal-naive forecast one step ahead
$F --diff --epochs 150 --seeds 2 --no-images --quiet >"$tmp/diff" 2>/dev/null
d1=$(awk '$1 == "lstm," && $2 == "mean" { print $6; exit }' "$tmp/diff")
n1=$(awk '$1 == "seasonal" && $2 == "naive" { print $3; exit }' "$tmp/diff")
awk -v a="$d1" -v b="$n1" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }' \
    && ok "with --diff the LSTM's one-step RMSE ($d1) beats the seasonal naive ($n1)" \
    || no "with --diff the LSTM's one-step RMSE is '$d1', the seasonal naive's '$n1'"

# deterministic: the same seed gives the same output; another seed does not
set -- --epochs 20 --seeds 1 --no-images --quiet
$F "$@" --seed 3 2>/dev/null | grep -v '^time:' >"$tmp/a"; $F "$@" --seed 3 2>/dev/null | grep -v '^time:' >"$tmp/b"
$F "$@" --seed 4 2>/dev/null | grep -v '^time:' >"$tmp/c"
cmp -s "$tmp/a" "$tmp/b" && ok "two runs with the same seed print the same numbers" || no "two runs with the same seed differ"
cmp -s "$tmp/a" "$tmp/c" && no "seeds 3 and 4 print the same numbers" || ok "another seed gives other numbers"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
