"""Finding the project's Prisma client by what its modules export, and where PrismaClient is
imported from, as real projects write them."""

import json
from pathlib import Path

import pytest
from test_project_detection import make_project

from csvimport_scaffold.prisma_client import client_exports_of, generated_client_path
from csvimport_scaffold.prisma_schema import parse_prisma_schema
from csvimport_scaffold.project import detect_project

from conftest import run_cli

SINGLETON = """import { PrismaClient } from "@prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma = globalForPrisma.prisma ?? new PrismaClient();

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
"""
T3_DB = """import { PrismaClient } from "@prisma/client";
import { env } from "~/env";

const createPrismaClient = () =>
  new PrismaClient({
    log: env.NODE_ENV === "development" ? ["query", "error", "warn"] : ["error"],
  });

const globalForPrisma = globalThis as unknown as {
  prisma: ReturnType<typeof createPrismaClient> | undefined;
};

export const db = globalForPrisma.prisma ?? createPrismaClient();
"""
DEFAULT_EXPORT = """import { PrismaClient } from '@prisma/client'

declare global {
  var prisma: PrismaClient | undefined
}

const prisma = global.prisma || new PrismaClient()

if (process.env.NODE_ENV !== 'production') global.prisma = prisma

export default prisma
"""
UNUSUAL_NAME = """import { PrismaClient } from "../generated/prisma/client";

export const PRISMA_LOG_LEVELS = ["error"] as const;
export const database =
  (globalThis as { database?: PrismaClient }).database ??
  new PrismaClient({ log: [...PRISMA_LOG_LEVELS] });
export const getDatabase = () => database;
"""
EXPORT_LIST = """import { PrismaClient } from "@prisma/client";

const client = new PrismaClient();

export { client as prisma };
"""
INLINE_DEFAULT = """import { PrismaClient } from "@prisma/client";

export default new PrismaClient();
"""
ROUTE_WITH_OWN_CLIENT = """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
export const dynamic = "force-dynamic";

export async function GET() {
  return Response.json(await prisma.contact.findMany());
}
"""


@pytest.mark.parametrize(
    ("text", "exports"),
    [
        (SINGLETON, ["prisma"]),
        (T3_DB, ["db"]),
        (DEFAULT_EXPORT, ["default"]),
        (UNUSUAL_NAME, ["database"]),
        (EXPORT_LIST, ["prisma"]),
        (INLINE_DEFAULT, ["default"]),
        (ROUTE_WITH_OWN_CLIENT, []),
    ],
    ids=["singleton", "t3 db", "default", "unusual name", "export list", "inline", "route"],
)
def test_a_module_exports_a_client_under_any_name(text: str, exports: list[str]):
    assert client_exports_of(text) == exports


def test_the_project_module_is_found_by_what_it_exports(tmp_path: Path):
    root = make_project(
        tmp_path,
        {
            "src/server/db.ts": T3_DB,
            "src/app/api/contacts/route.ts": ROUTE_WITH_OWN_CLIENT,
            "src/lib/format.ts": "export const prismaHint = 'not a client';\n",
        },
    )
    module = detect_project(root).prisma_module
    assert (module.path, module.specifier, module.export) == (
        "src/server/db.ts",
        "@/server/db",
        "db",
    )


def test_a_project_that_only_makes_clients_inside_routes_has_no_client_module(tmp_path: Path):
    root = make_project(tmp_path, {"src/app/api/contacts/route.ts": ROUTE_WITH_OWN_CLIENT})
    assert detect_project(root).prisma_module is None


def test_the_generated_client_itself_is_not_the_project_module(tmp_path: Path):
    schema = 'generator client {\n  provider = "prisma-client"\n  output = "../src/prisma-out"\n}\n'
    root = make_project(
        tmp_path,
        {
            "prisma/schema.prisma": schema,
            "src/prisma-out/client.ts": "export const PrismaClient = getPrismaClientClass(x);\n",
            "src/lib/prisma.ts": SINGLETON.replace("@prisma/client", "@/prisma-out/client"),
        },
    )
    info = detect_project(root)
    assert info.prisma_module.path == "src/lib/prisma.ts"
    assert info.prisma_client_import == "@/prisma-out/client"


@pytest.mark.parametrize(
    ("generator", "path"),
    [
        ('provider = "prisma-client-js"', None),
        (
            'provider = "prisma-client-js"\n  output = "../lib/generated/prisma"',
            "lib/generated/prisma",
        ),
        ('provider = "prisma-client"\n  output = "./generated"', "prisma/generated/client"),
    ],
)
def test_where_prisma_client_is_imported_from(generator: str, path: str | None):
    schema = parse_prisma_schema(f"generator client {{\n  {generator}\n}}\n")
    assert generated_client_path(schema, "prisma/schema.prisma") == path


def test_the_prisma_version_is_the_installed_one_else_the_declared_one(tmp_path: Path):
    package = {"dependencies": {"next": "14.2.3", "@prisma/client": "^5.22.0"}}
    root = make_project(tmp_path, {"package.json": json.dumps(package)})
    assert detect_project(root).prisma_version == "5.22.0"
    installed = root / "node_modules" / "@prisma" / "client"
    installed.mkdir(parents=True)
    (installed / "package.json").write_text('{"version": "5.22.1"}')
    assert detect_project(root).prisma_version == "5.22.1"
    transitive = root / "node_modules" / "zod"  # installed for another package, not declared
    transitive.mkdir()
    (transitive / "package.json").write_text('{"version": "3.25.0"}')
    assert detect_project(root).zod_major is None
    package["dependencies"]["zod"] = "^3.24.0"
    (root / "package.json").write_text(json.dumps(package))
    assert detect_project(root).zod_major == 3


def test_init_writes_a_client_module_where_prisma_6_has_none(example_project: Path):
    (example_project / "src/app/misc/singletons/prisma.ts").unlink()
    package = json.loads((example_project / "package.json").read_text())
    package["dependencies"]["@prisma/client"] = package["devDependencies"]["prisma"] = "6.19.0"
    (example_project / "package.json").write_text(json.dumps(package))

    init = run_cli("init", "--project", str(example_project))
    assert init.returncode == 0, init.stderr
    wrote = "no module exports a PrismaClient instance: wrote src/app/functions/server/prisma.ts"
    assert wrote in init.stdout
    written = (example_project / "src/app/functions/server/prisma.ts").read_text()
    assert 'import { PrismaClient } from "@/src/generated/prisma/client";' in written
    assert "export const prisma = globalForPrisma.prisma ?? new PrismaClient();" in written

    new = run_cli("new", "user", "--no-check", "--project", str(example_project), "--fields",
                  "name:string", "email:email:unique")  # fmt: skip
    assert new.returncode == 0, new.stderr
    processor = example_project / "src/app/api/user/import/progress/functions/process-user-items.ts"
    assert 'import { prisma } from "@/src/app/functions/server/prisma";' in processor.read_text()


def test_a_flag_names_a_default_export(example_project: Path):
    init = run_cli(
        "init", "--project", str(example_project),
        "--prisma-import", "@/src/app/misc/singletons/prisma", "--prisma-export", "default",
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    config = json.loads((example_project / "csvimport.json").read_text())
    assert (config["prismaImport"], config["prismaExport"]) == (
        "@/src/app/misc/singletons/prisma",
        "default",
    )
