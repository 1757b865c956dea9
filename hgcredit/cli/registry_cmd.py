"""`hgcredit registry`: show the registry in force (and validate an office's own file)."""

from __future__ import annotations

from hgcredit.cli.base import JsonOption, RegistryOption, app, echo, emit_json, get_registry, run


@app.command("registry")
def registry_command(registry: RegistryOption = None, as_json: JsonOption = False) -> None:
    """显示正在使用的登记表：各领域、部门及其别名、评级体系与统一档次。

    也用于检查自己修改的登记表是否有效。

    示例：hgcredit registry --registry 我的登记表.toml
    """

    def body() -> int:
        reg = get_registry(registry)
        if as_json:
            emit_json(reg.to_json())
            return 0
        from tabulate import tabulate  # only when a table is printed

        rows = [
            [
                d.serial,
                d.department,
                d.domain,
                f"{d.person}/{d.section}",
                " ".join(f"{lv.label}→{lv.tier}" for lv in d.scale.levels),
            ]
            for d in reg.domains
        ]
        echo(f"登记表：{reg.source}（每月 {reg.deadline_day} 日前更新台账）")
        echo(tabulate(rows, headers=["序号", "实施部门", "领域", "责任人/科室", "等级→统一档次"]))
        return 0

    run(body)
