"""`--mount` into pages without a `{/* csvimport:mount */}` line: the project's own TypeScript
finds where the component goes, Python inserts it between the feature's markers, mounting again
changes nothing, and `remove` gives back the page as it was."""

from pathlib import Path

import pytest

from csvimport_scaffold.mount import (
    CannotMount,
    PageSpots,
    insert_lines,
    mount_component,
    unmount_component,
)
from csvimport_scaffold.page_syntax import find_page_spots, spots_from_answer

from conftest import EXAMPLE_APP, USER_FIELDS, link_node_modules, run_cli, tree_snapshot

SPECIFIER = "@/src/app/users/user-import"
HOME = "src/app/page.tsx"


def mount(text: str, spots: PageSpots, feature: str = "user", component: str = "UserImport"):
    return mount_component(text, feature, component, SPECIFIER, "page.tsx", spots=spots)


def test_insertions_go_before_lines_of_the_original_text():
    assert insert_lines("a\nb\nc\n", [(2, "X\n"), (0, "Y\n")]) == "Y\na\nX\nb\nc\n"
    with pytest.raises(ValueError, match="offset 1 is not the start of a line"):
        insert_lines("a\nb\n", [(1, "X\n")])


def test_spots_put_the_marked_import_and_jsx_into_the_page():
    page = 'import Link from "next/link";\n\nexport default function Home() {\n  return (\n    <main>\n      <h1>Home</h1>\n    </main>\n  );\n}\n'  # noqa: E501
    spots = PageSpots(page.index("\n") + 1, page.index("    </main>"), "      ")
    assert mount(page, spots) == (
        'import Link from "next/link";\n'
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "\n"
        "export default function Home() {\n"
        "  return (\n"
        "    <main>\n"
        "      <h1>Home</h1>\n"
        "      {/* csvimport:user */}\n"
        "      <UserImport />\n"
        "    </main>\n"
        "  );\n"
        "}\n"
    )
    assert unmount_component(mount(page, spots), "user") == page


def test_a_mount_spot_wins_over_the_spots_found_in_the_syntax():
    page = "export default function P() {\n  return (\n    <main>\n      {/* csvimport:mount */}\n    </main>\n  );\n}\n"  # noqa: E501
    mounted = mount(page, PageSpots(0, page.index("    </main>"), "      "))
    assert "<UserImport />\n      {/* csvimport:mount */}\n    </main>" in mounted


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"importAt": 0, "jsxAt": 4, "indent": "\t"}, PageSpots(0, 4, "\t")),
        ({"reason": "it has no default export"}, CannotMount("it has no default export")),
        ({"importAt": 0, "jsxAt": 2, "indent": "  "}, "unusable answer"),  # mid-line
        ({"importAt": -1, "jsxAt": 4, "indent": "  "}, "unusable answer"),
        ({"importAt": 0, "jsxAt": 99, "indent": "  "}, "unusable answer"),
        ({"importAt": False, "jsxAt": 4, "indent": "  "}, "unusable answer"),
        ({"importAt": 0, "jsxAt": 4, "indent": "x"}, "unusable answer"),
        (None, "no answer"),
    ],
)
def test_the_scripts_answer_is_checked_before_any_edit(answer, expected):
    found = spots_from_answer(answer, "abc\ndef\n")
    if isinstance(expected, str):
        assert isinstance(found, CannotMount) and expected in found.reason
    else:
        assert found == expected


MOUNTABLE = {
    "function declaration": (
        'import Link from "next/link";\n'
        "\n"
        "export default function HomePage() {\n"
        "  return (\n"
        "    <main>\n"
        '      <Link href="/users">Users</Link>\n'
        "    </main>\n"
        "  );\n"
        "}\n",
        'import Link from "next/link";\n'
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "\n"
        "export default function HomePage() {\n"
        "  return (\n"
        "    <main>\n"
        '      <Link href="/users">Users</Link>\n'
        "      {/* csvimport:user */}\n"
        "      <UserImport />\n"
        "    </main>\n"
        "  );\n"
        "}\n",
    ),
    "arrow const, exported at the end": (
        'import { Heading } from "@/src/app/components/heading";\n'
        'import type { ReactNode } from "react";\n'
        "\n"
        "const UsersPage = (): ReactNode => (\n"
        '  <section className="users">\n'
        "    <Heading>Users</Heading>\n"
        "  </section>\n"
        ");\n"
        "\n"
        "export default UsersPage;\n",
        'import { Heading } from "@/src/app/components/heading";\n'
        'import type { ReactNode } from "react";\n'
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "\n"
        "const UsersPage = (): ReactNode => (\n"
        '  <section className="users">\n'
        "    <Heading>Users</Heading>\n"
        "    {/* csvimport:user */}\n"
        "    <UserImport />\n"
        "  </section>\n"
        ");\n"
        "\n"
        "export default UsersPage;\n",
    ),
    "async server component with a nested callback": (
        'import { getUsers } from "@/src/app/users/data";\n'
        "\n"
        "export default async function UsersPage() {\n"
        "  const users = await getUsers();\n"
        "  return (\n"
        "    <main>\n"
        "      <ul>\n"
        "        {users.map((user) => {\n"
        "          return <li key={user.id}>{user.name}</li>;\n"
        "        })}\n"
        "      </ul>\n"
        "    </main>\n"
        "  );\n"
        "}\n",
        'import { getUsers } from "@/src/app/users/data";\n'
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "\n"
        "export default async function UsersPage() {\n"
        "  const users = await getUsers();\n"
        "  return (\n"
        "    <main>\n"
        "      <ul>\n"
        "        {users.map((user) => {\n"
        "          return <li key={user.id}>{user.name}</li>;\n"
        "        })}\n"
        "      </ul>\n"
        "      {/* csvimport:user */}\n"
        "      <UserImport />\n"
        "    </main>\n"
        "  );\n"
        "}\n",
    ),
    "fragment, with an early return of null": (
        "export default function Users({ hidden }: { hidden: boolean }) {\n"
        "  if (hidden) return null;\n"
        "  return (\n"
        "    <>\n"
        "      <h1>Users</h1>\n"
        "    </>\n"
        "  );\n"
        "}\n",
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "export default function Users({ hidden }: { hidden: boolean }) {\n"
        "  if (hidden) return null;\n"
        "  return (\n"
        "    <>\n"
        "      <h1>Users</h1>\n"
        "      {/* csvimport:user */}\n"
        "      <UserImport />\n"
        "    </>\n"
        "  );\n"
        "}\n",
    ),
    '"use client" page indented with tabs': (
        '"use client";\n'
        "\n"
        "export default function Users() {\n"
        "\treturn (\n"
        "\t\t<main>\n"
        "\t\t\t<h1>Users — ünïcode 😀</h1>\n"
        "\t\t</main>\n"
        "\t);\n"
        "}\n",
        '"use client";\n'
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "\n"
        "export default function Users() {\n"
        "\treturn (\n"
        "\t\t<main>\n"
        "\t\t\t<h1>Users — ünïcode 😀</h1>\n"
        "\t\t\t{/* csvimport:user */}\n"
        "\t\t\t<UserImport />\n"
        "\t\t</main>\n"
        "\t);\n"
        "}\n",
    ),
    "no imports, named default export, empty element": (
        "function Users() {\n"
        "  return (\n"
        "    <div>\n"
        "    </div>\n"
        "  );\n"
        "}\n"
        "\n"
        "export { Users as default };\n",
        "// csvimport:user:import\n"
        'import { UserImport } from "@/src/app/users/user-import";\n'
        "function Users() {\n"
        "  return (\n"
        "    <div>\n"
        "      {/* csvimport:user */}\n"
        "      <UserImport />\n"
        "    </div>\n"
        "  );\n"
        "}\n"
        "\n"
        "export { Users as default };\n",
    ),
}

REFUSED = {
    "returns null": (
        "export default function Users() {\n  return null;\n}\n",
        "its default export returns no JSX element",
    ),
    "class component": (
        'import { Component } from "react";\n\n'
        "export default class Users extends Component {\n"
        "  render() {\n    return (\n      <main>\n      </main>\n    );\n  }\n}\n",
        "its default export is a class component",
    ),
    "unparsable": (
        "export default function Users() {\n  return (\n    <main>\n  );\n}\n",
        "it does not parse (line ",
    ),
    "no default export": (
        "export function Users() {\n  return (\n    <main>\n    </main>\n  );\n}\n",
        "it has no default export",
    ),
    "several return statements with JSX": (
        "export default function Users({ empty }: { empty: boolean }) {\n"
        "  if (empty) return <p>No users</p>;\n"
        "  return (\n    <main>\n    </main>\n  );\n}\n",
        "returns JSX from several return statements",
    ),
    "wrapped in a call": (
        'import { memo } from "react";\n\n'
        "function Users() {\n  return (\n    <main>\n    </main>\n  );\n}\n\n"
        "export default memo(Users);\n",
        "its default export is not a function component",
    ),
    "a self-closing element": (
        'import { UserTable } from "./user-table";\n\n'
        "export default function Users() {\n  return <UserTable />;\n}\n",
        "returns <UserTable />, which has no children",
    ),
    "JSX on one line": (
        "export default function Users() {\n  return <main><h1>Users</h1></main>;\n}\n",
        "opens and closes (</main>) on one line",
    ),
    "a conditional": (
        "export default function Users({ a }: { a: boolean }) {\n"
        "  return a ? (\n    <main>\n    </main>\n  ) : (\n    <div>\n    </div>\n  );\n}\n",
        "its default export does not return one JSX element",
    ),
}


def mount_with_typescript(page: str, feature: str = "user", component: str = "UserImport"):
    spots = find_page_spots(EXAMPLE_APP, "page.tsx", page)
    assert isinstance(spots, PageSpots), spots
    return mount(page, spots, feature, component)


@pytest.mark.node
@pytest.mark.parametrize(("page", "mounted"), MOUNTABLE.values(), ids=MOUNTABLE)
def test_a_page_takes_the_component_as_the_last_child_of_what_it_returns(page, mounted):
    once = mount_with_typescript(page)
    assert once == mounted
    assert mount_with_typescript(once) == once  # the mounted page still parses, and is done
    assert unmount_component(once, "user") == page


@pytest.mark.node
@pytest.mark.parametrize(("page", "reason"), REFUSED.values(), ids=REFUSED)
def test_a_page_it_cannot_edit_safely_is_refused_with_a_reason(page, reason):
    refusal = find_page_spots(EXAMPLE_APP, "page.tsx", page)
    assert isinstance(refusal, CannotMount) and reason in refusal.reason


@pytest.mark.node
def test_two_features_share_a_page_and_each_comes_out_alone():
    page, _ = MOUNTABLE["function declaration"]
    user = mount_with_typescript(page)
    both = mount_with_typescript(user, "course", "CourseImport")
    assert both.index("<UserImport />") < both.index("<CourseImport />") < both.index("</main>")
    assert unmount_component(both, "user") == mount_with_typescript(page, "course", "CourseImport")
    assert unmount_component(unmount_component(both, "course"), "user") == page


def test_a_project_without_typescript_is_not_edited(tmp_path: Path):
    page, _ = MOUNTABLE["function declaration"]
    found = find_page_spots(tmp_path, "page.tsx", page)
    assert found == CannotMount("typescript is not installed in the project")


def new_user(project: Path, *extra: str):
    return run_cli(
        "new", "user", "--no-check", "--project", str(project), "--fields", *USER_FIELDS, *extra
    )


@pytest.mark.node
def test_new_mounts_into_a_page_without_a_spot_and_remove_takes_it_out(initialized_project):
    link_node_modules(initialized_project)
    home = initialized_project / HOME
    original = home.read_text()
    before = tree_snapshot(initialized_project)
    dry = new_user(initialized_project, "--mount", HOME, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"+++ b/{HOME}" in dry.stdout and "+      <UserImport />\n" in dry.stdout
    assert tree_snapshot(initialized_project) == before

    result = new_user(initialized_project, "--mount", HOME)
    assert result.returncode == 0, result.stderr
    assert f"update    {HOME}" in result.stdout and "not mounted" not in result.stdout
    assert "      <UserImport />\n    </main>" in home.read_text()
    assert "import { UserImport } from" in home.read_text()

    removed = run_cli("remove", "user", "--project", str(initialized_project))
    assert removed.returncode == 0, removed.stderr
    assert home.read_text() == original


def test_new_leaves_a_page_it_cannot_edit_and_says_what_to_add(initialized_project: Path):
    home = initialized_project / HOME
    original = home.read_text()
    result = new_user(initialized_project, "--mount", HOME)  # no node_modules: no typescript
    assert result.returncode == 0, result.stderr
    assert f"not mounted: {HOME}: typescript is not installed in the project\n" in result.stdout
    assert "Mount it by hand (or mark the spot with {/* csvimport:mount */}" in result.stdout
    assert '    import { UserImport } from "' in result.stdout
    assert "    <UserImport />\n" in result.stdout
    assert home.read_text() == original
    assert (initialized_project / "src/app/api/user/import/progress/route.ts").is_file()
