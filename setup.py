"""Build hook, next to pyproject.toml (which holds everything else): the notice templates
live in the top-level templates/ of the checkout, where the office and reviewers find them,
and are installed inside the package as hgcredit/templates, so that a plain `pip install .`
carries them. Only the templates go in; templates/build_templates.py (the script that makes
the .docx files) stays in the checkout.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

TEMPLATES = "hgcredit.templates"


class BuildPy(build_py):
    """Leave the Python files of templates/ (the build script) out of the wheel."""

    def find_package_modules(self, package, package_dir):
        if package == TEMPLATES:
            return []
        return super().find_package_modules(package, package_dir)


setup(
    packages=[*find_packages(include=["hgcredit", "hgcredit.*"]), TEMPLATES],
    package_dir={TEMPLATES: "templates"},
    cmdclass={"build_py": BuildPy},
)
