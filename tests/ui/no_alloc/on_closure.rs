fn main() {
    let hot = #[perfkit::no_alloc] || 1;
    hot();
}
