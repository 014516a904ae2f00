"""The module itself: its version, its exceptions, and help() on everything it offers."""

import inspect
import types

import trouvere


def test_the_version_is_the_library_s():
    assert trouvere.__version__ == trouvere.version() == "0.1.0"


def test_the_library_s_errors_are_subclasses_of_trouvere_error():
    assert issubclass(trouvere.Error, Exception)
    for error in (trouvere.QueryError, trouvere.DatabaseError, trouvere.DocumentError):
        assert error.__bases__ == (trouvere.Error,)
        assert error.__module__ == "trouvere"


def test_every_class_function_and_method_is_documented():
    undocumented = []
    for name in trouvere.__all__:
        item = getattr(trouvere, name)
        assert item.__doc__, name
        if not inspect.isclass(item) or issubclass(item, BaseException):
            continue
        assert item.__module__ == "trouvere", name
        for member_name, member in vars(item).items():
            if member_name.startswith("_") and member_name not in (
                    "__init__", "__enter__", "__exit__", "__contains__"):
                continue
            # Python's own slot for classes made only by the library (Hit, Results…).
            if isinstance(member, types.WrapperDescriptorType):
                continue
            description = member.__doc__ or ""
            if not isinstance(member, property):
                # pybind11 puts a method's signature on the first line, the description after.
                description = "".join(description.split("\n", 1)[1:])
            if not description.strip():
                undocumented.append(f"{name}.{member_name}")
    assert undocumented == []


def test_help_names_the_package_and_its_classes():
    text = inspect.getdoc(trouvere)
    assert text.startswith("Full-text search for French text.")
    assert "search(self: trouvere.Searcher, query: str, *, limit: int = 10" in \
        trouvere.Searcher.search.__doc__
