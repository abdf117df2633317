//! Generated stand-ins for the three documents, used when the data directory is absent (the
//! bench prints a message and measures these instead) and by the allocation tests, which must
//! run everywhere.

use std::collections::BTreeMap;

use super::canada::{Canada, Feature, Geometry, ObjType, Properties};
use super::citm_catalog::{Area, CitmCatalog, Event, Performance, Price, SeatCategory};
use super::twitter::{
    Hashtag, Media, Metadata, Resize, SearchMetadata, Size, Sizes, Status, StatusEntities, Twitter,
    Url, User, UserEntities, UserEntitiesDescription, UserMention, UserUrl,
};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 16
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn text(&mut self, len: usize) -> String {
        const ALPHABET: &[&str] = &[
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "n", "o", "r", "s", "t", " ", " ", "é",
            "ü", "日", "本", "@", "#", "/", ".", "\"", "\n",
        ];
        let mut s = String::with_capacity(len + 4);
        while s.len() < len {
            s.push_str(ALPHABET[self.below(ALPHABET.len() as u64) as usize]);
        }
        s
    }
}

fn url(rng: &mut Lcg) -> Url {
    let path = rng.text(12).replace(['"', '\n', ' '], "x");
    Url {
        url: format!("http://t.co/{}", rng.below(1 << 40)),
        expanded_url: format!("http://example.com/{path}"),
        display_url: format!("example.com/{path}"),
        indices: (rng.below(100) as u8, 100 + rng.below(40) as u8),
    }
}

fn user(rng: &mut Lcg) -> User {
    let id = rng.below(3_000_000_000);
    User {
        id,
        id_str: id.to_string(),
        name: rng.text(14),
        screen_name: rng.text(10).replace(['"', '\n', ' '], "_"),
        location: rng.text(12),
        description: rng.text(90),
        url: (rng.below(2) == 0).then(|| format!("http://t.co/{}", rng.below(1 << 40))),
        entities: UserEntities {
            url: (rng.below(3) == 0).then(|| UserUrl {
                urls: vec![url(rng)],
            }),
            description: UserEntitiesDescription {
                urls: (0..rng.below(2)).map(|_| url(rng)).collect(),
            },
        },
        protected: rng.below(10) == 0,
        followers_count: rng.below(100_000) as u32,
        friends_count: rng.below(10_000) as u32,
        listed_count: rng.below(500) as u32,
        created_at: "Sun Aug 31 00:29:15 +0000 2014".to_owned(),
        favourites_count: rng.below(50_000) as u32,
        utc_offset: (rng.below(2) == 0).then_some(32_400),
        time_zone: (rng.below(2) == 0).then(|| "Tokyo".to_owned()),
        geo_enabled: rng.below(2) == 0,
        verified: false,
        statuses_count: rng.below(200_000) as u32,
        lang: "ja".to_owned(),
        contributors_enabled: false,
        is_translator: false,
        is_translation_enabled: false,
        profile_background_color: "C0DEED".to_owned(),
        profile_background_image_url: "http://abs.twimg.com/images/themes/theme1/bg.png".to_owned(),
        profile_background_image_url_https: "https://abs.twimg.com/images/themes/theme1/bg.png"
            .to_owned(),
        profile_background_tile: false,
        profile_image_url: format!("http://pbs.twimg.com/profile_images/{id}/normal.jpeg"),
        profile_image_url_https: format!("https://pbs.twimg.com/profile_images/{id}/normal.jpeg"),
        profile_banner_url: (rng.below(2) == 0)
            .then(|| format!("https://pbs.twimg.com/profile_banners/{id}/1409380440")),
        profile_link_color: "0084B4".to_owned(),
        profile_sidebar_border_color: "C0DEED".to_owned(),
        profile_sidebar_fill_color: "DDEEF6".to_owned(),
        profile_text_color: "333333".to_owned(),
        profile_use_background_image: true,
        default_profile: true,
        default_profile_image: false,
        following: false,
        follow_request_sent: false,
        notifications: false,
    }
}

fn size(rng: &mut Lcg) -> Size {
    Size {
        w: 150 + rng.below(900) as u16,
        h: 150 + rng.below(900) as u16,
        resize: if rng.below(2) == 0 {
            Resize::Fit
        } else {
            Resize::Crop
        },
    }
}

fn status(rng: &mut Lcg, depth: u32) -> Status {
    let id = 505_874_000_000_000_000 + rng.below(1_000_000_000);
    let reply = rng.below(4) == 0;
    let text_len = 60 + rng.below(80) as usize;
    Status {
        metadata: Metadata {
            result_type: "recent".to_owned(),
            iso_language_code: "ja".to_owned(),
        },
        created_at: "Sun Aug 31 00:29:15 +0000 2014".to_owned(),
        id,
        id_str: id.to_string(),
        text: rng.text(text_len),
        source:
            "<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>"
                .to_owned(),
        truncated: false,
        in_reply_to_status_id: reply.then(|| id - 1000),
        in_reply_to_status_id_str: reply.then(|| (id - 1000).to_string()),
        in_reply_to_user_id: reply.then_some(1_186_275_104),
        in_reply_to_user_id_str: reply.then(|| "1186275104".to_owned()),
        in_reply_to_screen_name: reply.then(|| "ayuu0123".to_owned()),
        user: user(rng),
        geo: None,
        coordinates: None,
        place: None,
        contributors: None,
        retweeted_status: (depth == 0 && rng.below(3) == 0)
            .then(|| Box::new(status(rng, depth + 1))),
        retweet_count: rng.below(1000) as u32,
        favorite_count: rng.below(1000) as u32,
        entities: StatusEntities {
            hashtags: (0..rng.below(3))
                .map(|_| Hashtag {
                    text: rng.text(8),
                    indices: (rng.below(60) as u8, 60 + rng.below(60) as u8),
                })
                .collect(),
            symbols: Vec::new(),
            urls: (0..rng.below(2)).map(|_| url(rng)).collect(),
            user_mentions: (0..rng.below(3))
                .map(|_| {
                    let id = rng.below(3_000_000_000);
                    UserMention {
                        screen_name: rng.text(9),
                        name: rng.text(12),
                        id,
                        id_str: id.to_string(),
                        indices: (3, 3 + rng.below(20) as u8),
                    }
                })
                .collect(),
            media: (rng.below(5) == 0).then(|| {
                let id = rng.below(1 << 60);
                vec![Media {
                    id,
                    id_str: id.to_string(),
                    indices: (80, 102),
                    media_url: format!("http://pbs.twimg.com/media/{id}.jpg"),
                    media_url_https: format!("https://pbs.twimg.com/media/{id}.jpg"),
                    url: "http://t.co/vxHcSdcPcz".to_owned(),
                    display_url: "pic.twitter.com/vxHcSdcPcz".to_owned(),
                    expanded_url: format!("http://twitter.com/u/status/{id}/photo/1"),
                    media_type: "photo".to_owned(),
                    sizes: Sizes {
                        medium: size(rng),
                        small: size(rng),
                        thumb: size(rng),
                        large: size(rng),
                    },
                    source_status_id: (depth == 0).then_some(id / 3),
                    source_status_id_str: (depth == 0).then(|| (id / 3).to_string()),
                }]
            }),
        },
        favorited: false,
        retweeted: false,
        possibly_sensitive: (rng.below(3) == 0).then_some(false),
        lang: "ja".to_owned(),
    }
}

/// A twitter-like search result with `statuses` tweets (the real one has 100).
pub fn twitter(statuses: usize) -> Twitter {
    let mut rng = Lcg(0x7177_7e12);
    Twitter {
        statuses: (0..statuses).map(|_| status(&mut rng, 0)).collect(),
        search_metadata: SearchMetadata {
            completed_in: 0.087,
            max_id: 505_874_924_095_815_681,
            max_id_str: "505874924095815681".to_owned(),
            next_results: "?max_id=505874847260352512&q=%E4%B8%80&count=100&include_entities=1"
                .to_owned(),
            query: "%E4%B8%80".to_owned(),
            refresh_url: "?since_id=505874924095815681&q=%E4%B8%80&include_entities=1".to_owned(),
            count: 100,
            since_id: 0,
            since_id_str: "0".to_owned(),
        },
    }
}

/// A catalog with `events` events and twice as many performances.
pub fn citm_catalog(events: usize) -> CitmCatalog {
    let mut rng = Lcg(0xc17a);
    let names = |rng: &mut Lcg, n: usize| -> BTreeMap<u32, String> {
        (0..n)
            .map(|i| (205_705_993 + i as u32 * 7, rng.text(18)))
            .collect()
    };
    let area_names = names(&mut rng, 17);
    let area_ids: Vec<u32> = area_names.keys().copied().collect();
    CitmCatalog {
        area_names,
        audience_sub_category_names: names(&mut rng, 1),
        block_names: BTreeMap::new(),
        events: (0..events)
            .map(|i| {
                let id = 138_586_341 + i as u32 * 13;
                let event = Event {
                    description: None,
                    id,
                    logo: (rng.below(3) == 0).then(|| {
                        format!("/images/UE0AAAAACEKo6QAAAAZDSVRN/{}", rng.below(1 << 20))
                    }),
                    name: rng.text(24),
                    sub_topic_ids: (0..1 + rng.below(3))
                        .map(|_| 337_184_262 + rng.below(40) as u32)
                        .collect(),
                    subject_code: None,
                    subtitle: None,
                    topic_ids: (0..1 + rng.below(2))
                        .map(|_| 107_888_604 + rng.below(400) as u32)
                        .collect(),
                };
                (id, event)
            })
            .collect(),
        performances: (0..events * 2)
            .map(|i| Performance {
                event_id: 138_586_341 + (i / 2) as u32 * 13,
                id: 339_887_544 + i as u32,
                logo: None,
                name: None,
                prices: (0..1 + rng.below(3))
                    .map(|j| Price {
                        amount: 10_000 + rng.below(90_000) as u32,
                        audience_sub_category_id: 337_100_890,
                        seat_category_id: 338_937_295 + j as u32,
                    })
                    .collect(),
                seat_categories: (0..1 + rng.below(3))
                    .map(|j| SeatCategory {
                        areas: area_ids
                            .iter()
                            .take(4 + rng.below(12) as usize)
                            .map(|&area_id| Area {
                                area_id,
                                block_ids: Vec::new(),
                            })
                            .collect(),
                        seat_category_id: 338_937_295 + j as u32,
                    })
                    .collect(),
                seat_map_image: None,
                start: 1_372_701_600_000 + rng.below(1 << 30),
                venue_code: "PLEYEL_PLEYEL".to_owned(),
            })
            .collect(),
        seat_category_names: names(&mut rng, 60),
        sub_topic_names: names(&mut rng, 19),
        subject_names: BTreeMap::new(),
        topic_names: names(&mut rng, 4),
        topic_sub_topics: (0..4)
            .map(|i| {
                let subs = (0..1 + rng.below(10))
                    .map(|_| 337_184_262 + rng.below(40) as u32)
                    .collect();
                (107_888_604 + i, subs)
            })
            .collect(),
        venue_names: [("PLEYEL_PLEYEL".to_owned(), "Salle Pleyel".to_owned())].into(),
    }
}

/// A polygon collection with `rings` rings of `points` points each, coordinates with the
/// long fractions of the real data.
pub fn canada(rings: usize, points: usize) -> Canada {
    let mut rng = Lcg(0xca7ada);
    let mut coordinate = |base: f64| base + (rng.below(1 << 40) as f64) / (1u64 << 36) as f64;
    Canada {
        obj_type: ObjType::FeatureCollection,
        features: vec![Feature {
            obj_type: ObjType::Feature,
            properties: Properties {
                name: "Canada".to_owned(),
            },
            geometry: Geometry {
                obj_type: ObjType::Polygon,
                coordinates: (0..rings)
                    .map(|_| {
                        (0..points)
                            .map(|_| (coordinate(-141.0), coordinate(41.0)))
                            .collect()
                    })
                    .collect(),
            },
        }],
    }
}
