use perfkit::FastJson;

#[derive(FastJson)]
union U {
    a: u32,
    b: f32,
}

fn main() {}
