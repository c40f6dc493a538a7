#!/usr/bin/env bash
# The main job: install csvimport, scaffold two CSV import features into a fresh copy of the
# example app (.demo/nextjs-app), type-check, lint and format-check it, create its database,
# build it, and print how to serve it and what to import.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
sample=examples/sample-users.csv  # the user rows to import, some of them with mistakes

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
(cd "$demo" && NEXT_TELEMETRY_DISABLED=1 npx next build)

# A fresh key to sign session cookies with (the example's development default is public).
secret="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
serve="cd $(printf %q "$repo/$demo") && NEXT_TELEMETRY_DISABLED=1 EXAMPLE_SESSION_SECRET=$secret npx next start -H 127.0.0.1 -p 3000"

cat <<TXT

Done: two features generated into $demo, checked (next typegen + tsc, eslint, prettier) and built.
Serve it (Ctrl-C stops it):
  $serve
then open http://127.0.0.1:3000/en/sign-in?next=/en/dashboard/user, sign in as the demo user and
import $repo/$sample
(some rows have mistakes: a bad email, an age out of range, an unknown role, a repeated email;
the result lists them by line and offers them as an error log).
TXT
