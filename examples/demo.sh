#!/usr/bin/env bash
# The main job: install csvimport, scaffold two CSV import features into a fresh copy of the
# example app (.demo/nextjs-app), type-check, lint and format-check it, and create its database.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

if [ ! -x .venv/bin/csvimport ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e .
fi
bash examples/install-node-modules.sh

demo=.demo/nextjs-app
rm -rf "$demo"
mkdir -p "$demo"
tar -C examples/nextjs-app --exclude=./node_modules --exclude=./.next --exclude='./dev.db*' \
  --exclude='./*.tsbuildinfo' -cf - . | tar -C "$demo" -xf -
cp -al examples/nextjs-app/node_modules "$demo/node_modules"  # hard links: fast, no download

csvimport=.venv/bin/csvimport
$csvimport init --project "$demo"
$csvimport new user --project "$demo" --yes \
  --mount 'src/app/[lang]/dashboard/user/page.tsx' \
  --fields "name:string:required,max=100" "email:email:required,unique,key,lowercase" \
  "age:int:optional,min=0,max=150" "role:enum(admin|member):default=member" \
  "joinedOn:date:optional,alias=Joined On" "active:boolean:optional,default=true"
$csvimport new course --project "$demo" --yes \
  --mount 'src/app/[lang]/dashboard/course/page.tsx' \
  --fields 'code:string:unique,key,regex=^[A-Z]{2,4}-\d{3}$' "title:string:max=200" \
  "credits:int:min=1,max=10" "startsOn:date" "price:float:optional,min=0"
(cd "$demo" && DATABASE_URL=file:./dev.db npm run --silent db:setup)

cat <<TXT

Done: two features generated into $demo and checked (next typegen + tsc, eslint, prettier).
Start the app:
  cd $demo && npx next build && npx next start -H 127.0.0.1 -p 3000
then open http://127.0.0.1:3000/en/dashboard/user and import a CSV.
The example's demo auth wants "Authorization: Bearer dev-token" on the import request (set
EXAMPLE_AUTH_TOKEN to change it): a browser sends it once the page passes it, e.g.
  <UserImport requestHeaders={{ Authorization: "Bearer dev-token" }} />
or when a proxy in front of the app adds it (the browser tests do that).
TXT
