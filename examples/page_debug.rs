use std::io::Read;
fn main() {
    let f = std::env::args().nth(1).unwrap();
    let mut b = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&f).unwrap()).read_to_end(&mut b).unwrap();
    let p = kwiki::ingest::html::read_page(&b, None, None);
    println!("{:?}", p.meta);
    println!("{}", p.markdown());
}
