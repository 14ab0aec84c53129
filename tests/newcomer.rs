//! What a newcomer reads before the first command: the README's notes on the two commands, CI
//! running exactly the test command, and a Pages workflow on current actions kept current.
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The README's test command: the second line of its first `sh` block.
fn readme_test_command(readme: &str) -> String {
    let block = readme.split("```sh\n").nth(1).expect("a sh block");
    let line = block.lines().nth(1).expect("two commands");
    line.split('#').next().unwrap().trim().to_string()
}

#[test]
fn the_readme_prepares_a_newcomer_for_the_two_commands() {
    let readme = read("README.md");
    let setup =
        &readme[readme.find("## Two commands").unwrap()..readme.find("## Commands").unwrap()];
    let flat = setup.split_whitespace().collect::<Vec<_>>().join(" ");
    for said in [
        "first compile",
        "a few minutes",
        "`apt-get`",
        "root",
        "`npm`",
        "`.ci/run`, which runs exactly this test command",
    ] {
        assert!(
            flat.contains(said),
            "README's setup does not say {said:?}: {flat}"
        );
    }
    // and CI does run exactly that command
    let command = readme_test_command(&readme);
    assert_eq!(command, "./scripts/test.sh");
    let ci: Vec<String> = read(".ci/run")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    assert_eq!(
        ci.last().map(String::as_str),
        Some(command.as_str()),
        "{ci:?}"
    );
}

#[test]
fn the_pages_workflow_uses_current_majors_and_dependabot_keeps_them_so() {
    let workflow = read(".github/workflows/pages.yml");
    // the majors current when issue 17 was fixed; Dependabot moves them on from there
    let oldest = [
        ("actions/checkout", 7),
        ("actions/configure-pages", 6),
        ("actions/upload-pages-artifact", 5),
        ("actions/deploy-pages", 5),
    ];
    for (action, major) in oldest {
        let at = workflow
            .find(&format!("uses: {action}@v"))
            .unwrap_or_else(|| panic!("pages.yml does not use {action}"));
        let rest = &workflow[at + action.len() + "uses: @v".len()..];
        let used: u32 = rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap()]
            .parse()
            .unwrap();
        assert!(used >= major, "{action}@v{used} is older than v{major}");
    }
    let dependabot = read(".github/dependabot.yml");
    assert!(
        dependabot.contains("package-ecosystem: github-actions"),
        "{dependabot}"
    );
    let deploy = read("docs/deploy.md");
    assert!(
        deploy.contains("## Keeping the actions current") && deploy.contains("dependabot.yml"),
        "docs/deploy.md does not say how the actions are kept current"
    );
}
