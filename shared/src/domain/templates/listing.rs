//! SKU 上新: listing one product, with the listing review (上架审核) as an approval.

use super::{Template, milestone, phase, task};
use crate::domain::{ProjectKind, Role, Team};

pub(super) fn sku_listing() -> Template {
    use Team::*;
    Template {
        key: "sku-listing".into(),
        name: super::Bilingual::new("SKU 上新", "SKU listing"),
        kind: ProjectKind::Listing,
        every_day: false,
        phases: vec![
            phase("prepare", "资料准备", "Preparation"),
            phase("produce", "内容制作", "Content"),
            phase("review", "审核上架", "Review and listing"),
        ],
        tasks: vec![
            task("collect", "SKU资料收集", "Collect SKU information", "prepare", 2, Product, &["上架"], &[]),
            task(
                "photos",
                "主图拍摄",
                "Main image photography",
                "produce",
                2,
                Design,
                &["视觉设计"],
                &["collect"],
            ),
            task("detail", "详情页制作", "Detail page", "produce", 2, Design, &["页面优化"], &["photos"]),
            task(
                "entry",
                "商品信息录入",
                "Product information entry",
                "prepare",
                1,
                Operations,
                &["上架"],
                &["collect"],
            ),
            task(
                "price-stock",
                "价格与库存设置",
                "Price and stock setup",
                "prepare",
                1,
                Operations,
                &["上架"],
                &["entry"],
            ),
            task(
                "review",
                "上架审核",
                "Listing review",
                "review",
                1,
                Operations,
                &["上架"],
                &["detail", "price-stock"],
            )
            .approved_by(Role::Admin),
            task(
                "publish",
                "上架发布",
                "Publish the listing",
                "review",
                1,
                Operations,
                &["上架"],
                &["review"],
            ),
            task(
                "cs-kb",
                "客服知识库更新",
                "Update the customer service knowledge base",
                "review",
                1,
                CustomerService,
                &["客服培训"],
                &["review"],
            ),
        ],
        milestones: vec![
            milestone("approved", "商品上架审核通过", "Listing approved", &["review"]),
            milestone("live", "商品上线", "Product live", &["publish"]),
        ],
    }
}
