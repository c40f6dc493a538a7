#!/usr/bin/env bash
# Render fixed features into copies of the example app and the create-next-app fixture, for
# comparing csvimport's output between two versions of it:
#   bash tests/render_examples.sh /tmp/before; (change csvimport); bash tests/render_examples.sh /tmp/after
#   diff -r /tmp/before /tmp/after
# The folder also holds what each command printed.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
rm -rf "$OUT" && mkdir -p "$OUT"
cli() { NO_COLOR=1 "$REPO/.venv/bin/python" -m csvimport_scaffold "$@"; }
copy() {
  "$REPO/.venv/bin/python" -c 'import shutil, sys
shutil.copytree(sys.argv[1], sys.argv[2],
                ignore=shutil.ignore_patterns("node_modules", ".next", "dev.db*", "generated"))' "$1" "$2"
}
USER_FIELDS=("name:string:required,max=100" "email:email:required,unique,key,lowercase"
  "age:int:optional,min=0,max=150" "role:enum(admin|member):default=member"
  "joinedOn:date:optional,alias=Joined On" "active:boolean:optional,default=true")
COURSE_FIELDS=('code:string:unique,key,regex=^[A-Z]{2,4}-\d{3}$' "title:string:max=200"
  "credits:int:min=1,max=10" "startsOn:date" "price:float:optional,min=0")
copy "$REPO/examples/nextjs-app" "$OUT/example"
copy "$REPO/tests/fixtures/create-next-app" "$OUT/cna"
for app in example cna; do cli init --project "$OUT/$app" > "$OUT/$app.init.txt"; done

cli new user --no-check --project "$OUT/example" --mount "src/app/[lang]/dashboard/user/page.tsx" \
  --mount "src/app/[lang]/dashboard/page.tsx" --fields "${USER_FIELDS[@]}" > "$OUT/example.user.txt"
cli new course --no-check --mode upsert --project "$OUT/example" \
  --mount "src/app/[lang]/dashboard/course/page.tsx" --fields "${COURSE_FIELDS[@]}" \
  > "$OUT/example.course.txt"
cli new member --no-check --model User --batch-size 10 --max-retries 2 --project "$OUT/example" \
  --fields "${USER_FIELDS[@]}" > "$OUT/example.member.txt"
cli new product --no-check --project "$OUT/cna" --fields "sku:string:unique,key" \
  "name:string:max=120" "price:float:min=0" "stock:int:optional,min=0" "releasedOn:date:optional" \
  > "$OUT/cna.product.txt"
cli new stock-item --no-check --mode upsert --model Product --key sku --batch-size 50 \
  --project "$OUT/cna" --api-path /api/stock/upload \
  --fields "sku:string:unique,label=Stock keeping unit,alias=SKU code" "name:string:max=120" \
  "price:float:min=0" "stock:int:min=0,default=0" "releasedOn:datetime:optional" \
  > "$OUT/cna.stock.txt"
echo "rendered into $OUT"
