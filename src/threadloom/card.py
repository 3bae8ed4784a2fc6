"""The release's dataset card (README.md with the hub's YAML header) and its datasheet.

Column tables come from the JSON Schemas' descriptions and every figure from ReleaseStats, so the
card cannot drift from the data it describes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from . import __version__
from .cardsections import accuracy_section, datasheet_section, example_record, quoted, versions_section
from .hffeatures import features_yaml
from .plots import add_plots, plots_markdown
from .schemas import RAW_CONFIG, arrow_schema, load_schema
from .stats import HIGH_CONFIDENCE, ReleaseStats

FIGURES_START = "<!-- threadloom:figures:start -->"
FIGURES_END = "<!-- threadloom:figures:end -->"


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return name
    return "100K<n<1M" if n < 1_000_000 else "n>1M"


def card_header(info: dict[str, Any], stats: ReleaseStats) -> dict[str, Any]:
    from .release import parquet_path

    return {
        "pretty_name": info.get("pretty_name", info["name"]),
        "license": info.get("license", "other"),
        "language": list(info.get("language", ["en"])),
        "tags": ["conversational", "comments", "blogs", "reply-threads", "threadloom"],
        "task_categories": ["text-generation", "text-classification"],
        "size_categories": [_size_category(stats.n_comments)],
        "configs": [
            {
                "config_name": config,
                "data_files": [{"split": "train", "path": parquet_path(config)}],
                **({"default": True} if config == "comments" else {}),
            }
            for config in stats.configs
        ],
        "dataset_info": [
            {
                "config_name": config,
                "features": features_yaml(arrow_schema(config)),
                "splits": [
                    {
                        "name": "train",
                        "num_bytes": stats.num_bytes.get(config, 0),
                        "num_examples": stats.num_examples.get(config, 0),
                    }
                ],
                "dataset_size": stats.num_bytes.get(config, 0),
            }
            for config in stats.configs
        ],
    }


def figures_block(stats: ReleaseStats) -> str:
    """The figures both the card and the datasheet quote, as a Markdown table between markers."""
    rules = ", ".join(f"{rule}: {n}" for rule, n in stats.repairs_by_rule.items()) or "none"
    high = ", ".join(f"{kind} {n}" for kind, n in stats.high_confidence.items())
    rows = [
        ("threads (raw documents)", stats.n_threads),
        ("comments", stats.n_comments),
        ("comments replying to the post (top level)", stats.n_top_level_comments),
        ("comments inferred to be by the post author", stats.n_post_author_comments),
        ("greatest reply depth", stats.max_depth),
        ("speakers (per thread, post authors included)", stats.n_speakers),
        ("speakers other than the post author named by the text", stats.n_named_speakers),
        ("encoding repairs", f"{stats.n_repairs} ({rules})"),
        (f"comments with confidence >= {HIGH_CONFIDENCE}", high),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return f"{FIGURES_START}\n| figure | value |\n|---|---|\n{table}\n{FIGURES_END}"


def replace_figures(text: str, stats: ReleaseStats) -> str:
    pattern = re.compile(re.escape(FIGURES_START) + ".*?" + re.escape(FIGURES_END), re.S)
    if not pattern.search(text):
        return text.rstrip("\n") + "\n\n## Figures from this build\n\n" + figures_block(stats) + "\n"
    return pattern.sub(lambda _: figures_block(stats), text)


def render_datasheet(template: str | None, stats: ReleaseStats) -> str:
    if template is None:
        template = (
            "# Datasheet\n\nNo datasheet was given to this build "
            "(pass one with `threadloom build --datasheet`).\n"
        )
    return add_plots(replace_figures(template, stats), FIGURES_END)


def _columns_table(config: str) -> str:
    schema = load_schema(config)
    types = {f.name: str(f.type) for f in arrow_schema(config)}
    lines = ["| column | type | nullable | meaning |", "|---|---|---|---|"]
    for name, prop in schema["properties"].items():
        nullable = "yes" if "null" in (prop["type"] if isinstance(prop["type"], list) else []) else "no"
        lines.append(f"| `{name}` | `{types[name]}` | {nullable} | {prop.get('description', '')} |")
    return "\n".join(lines)


def render_card(info: dict[str, Any], stats: ReleaseStats, *,
                comments: list[dict[str, Any]] | None = None, datasheet: str | None = None) -> str:
    """The card; `comments` gives its example record, `datasheet` the sections it quotes."""
    header = yaml.safe_dump(card_header(info, stats), sort_keys=False, allow_unicode=True, width=1000)
    name = info.get("pretty_name", info["name"])
    sections = "\n\n".join(f"### `{config}`\n\n{_columns_table(config)}" for config in stats.configs)
    raw_rows = RAW_CONFIG in stats.configs
    return CARD_BODY.format(
        raw_where=RAW_WHERE[raw_rows],
        n_configs="Four" if raw_rows else "Three",
        raw_config=RAW_BULLET if raw_rows else "",
        header=header.rstrip("\n"),
        name=name,
        description=info.get("description", "").strip() or DEFAULT_DESCRIPTION,
        version=info["version"],
        tool_version=__version__,
        figures=figures_block(stats),
        plots=plots_markdown(),
        columns=sections,
        repo_id=info.get("hub_repo_id", "ORG/NAME"),
        license=info.get("license", "other"),
        versions=versions_section(info),
        example=example_record(comments),
        accuracy=accuracy_section(),
        uses=quoted(datasheet, "Suitable uses:", "Uses to avoid:"),
        limitations=quoted(datasheet, "Errors, noise, redundancy?",
                           "Composition-related risks for future uses:"),
        distribution=datasheet_section(datasheet, "Distribution"),
        maintenance=datasheet_section(datasheet, "Maintenance"),
    )


# Where the card says the raw documents are: in raw/, or (True) rows of the raw config.
RAW_WHERE = {
    False: "The raw documents are in `raw/`\nbyte for byte; `manifest.json` lists the sha256 of every file.",
    True: "The raw documents are the `raw` config's\nrows, byte for byte (their UTF-8 text); `manifest.json` "
          "lists the sha256 of every file.",
}
RAW_BULLET = ("\n- `raw`: one row per raw document, its whole text: what every span and character "
              "offset\n  indexes into (kept as rows: the release has more threads than files a Hub "
              "repository should hold).")

DEFAULT_DESCRIPTION = (
    "Blog comment sections that survived only as flattened text, rebuilt into conversations: "
    "the article, each comment with its exact span in the raw text, its reply link and its speaker, "
    "every inferred value with a confidence and its evidence."
)

CARD_BODY = """---
{header}
---

# {name}

{description}

Version {version}, built with threadloom {tool_version}. {raw_where}

## Dataset Structure

{n_configs} configs, one `train` split each (this is an archive, not a benchmark split):

- `threads`: one row per raw document: metadata, the article, counts.
- `comments` (default): one row per comment, with its span in the raw file, its parent, its
  speaker, and a confidence and evidence for every inferred value. Ordered by thread, then
  display order, which is depth-first (each comment followed by its replies).
- `speakers`: one row per person per thread.{raw_config}

Reply links follow ConvoKit's model: a comment's `parent_id` is another comment of the same thread,
or null when it replies to the post itself.

### Figures

{figures}

{plots}

{columns}

### Example record

{example}

## How to load

```python
from datasets import load_dataset

comments = load_dataset("{repo_id}", "comments", split="train")
threads = load_dataset("{repo_id}", "threads", split="train")
# from a local copy of this folder:
comments = load_dataset("path/to/this/folder", "comments", split="train")
```

Validate a copy in your own CI with `threadloom validate path/to/this/folder`. `croissant.json`
describes the files and fields in the Croissant (MLCommons) format.

### How to load each version

{versions}

## Uses

{uses}

## Dataset Creation

### Source data

Raw documents are crawled pages in which a blog post and its comment section were kept as plain
text, one paragraph per line, with every author name, date and reply link lost. Each document's
provenance (URL, site, date, where known) is in the `threads` config.

### How the structure was inferred (annotations)

No person annotated this data. threadloom infers, from the text alone (and a post author's name when
the metadata gives one): where the article ends, where each comment starts and ends, each comment's
parent, whether the post author wrote it, and speaker names found in the text (a reply such as
"Thanks, Steve." names its parent's speaker; signatures and sign-offs name their own comment).
Every decision carries `*_confidence` in [0, 1] and `*_evidence`. Encoding damage is repaired with
ftfy (a configuration that only undoes wrong decodings) and a rule for stray `Â` left by
mis-decoded no-break spaces; each change is listed in `repairs`, and the raw text is never altered.

### How accurate it is

{accuracy}

## Personal and Sensitive Information

Comments are personal writing by people who did not consent to this dataset; names in the text are
personal data. Speaker names are only ever taken from the text itself; no e-mail addresses, avatars
or account ids exist in the source.

## Considerations and Limitations

Inferred structure is wrong some of the time; filter on the confidence columns for precision.
Threading conventions differ between platforms (some attach every reply to a top-level comment).

{limitations}

## Licensing

The code that built this dataset is Apache-2.0. The text belongs to its authors; this release's
licence field (`{license}`) states what is known. See DATASHEET.md, Distribution.

## Removal requests

Anyone who finds their writing here and wants it removed can open an issue or discussion on the
dataset repository naming the thread id and comment id; it is removed in the next version.

## Citation

```
{name}, version {version} (built with threadloom {tool_version}).
Hugging Face dataset {repo_id}, revision v{version}.
```

## Distribution

{distribution}

## Maintenance

{maintenance}
"""
