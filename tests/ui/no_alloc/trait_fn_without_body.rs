trait Hot {
    #[perfkit::no_alloc]
    fn hot(&self) -> u32;
}

fn main() {}
